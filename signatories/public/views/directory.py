"""The public directory (``/signatories/``) and its CSV export (``/signatories/export.csv``).

Both are conditional: an ETag derived from :func:`directory_version` (the count of changes to
organisations) and today's date, so an unchanged directory costs one query and a 304. The
directory's HTML is cached for anonymous visitors under a key that includes that ETag: any
change to a signatory changes the key, so nothing needs to be deleted when data changes. A
logged-in person's page carries their own header (their menu, a log-out form with their CSRF
token), so it gets a private ETag that also depends on them, and is never shared.
"""

from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from charter.context_processors import navigation
from signatories.directory import (
    PER_PAGE_CHOICES,
    SORT_LABELS,
    directory_page,
    directory_version,
    export_rows,
    parse_request,
)

# Cached pages are keyed by version, so old entries are never read again; they just expire.
CACHE_SECONDS = 10 * 60
CSV_ROWS_PER_CHUNK = 2000
# The largest export kept in the cache (10,000 rows are about 1.5 MB): beyond it the export is
# streamed every time, so neither a worker's memory nor Redis holds a copy of a huge file.
CSV_CACHE_MAX_BYTES = 32 * 1024 * 1024


class RecentPages:
    """The pages this process served last, in front of the shared cache (Redis in production).

    A hit here costs no network round trip and no unpickling, which is most of what a cached
    page costs. Keys include the directory version, so an entry can never be served stale; the
    oldest entries are dropped beyond ``size`` entries or ``max_bytes`` in all (pages are about
    30 KB, a CSV export of 10,000 rows about 1.5 MB). An entry larger than a quarter of
    ``max_bytes`` is not kept here at all, so one large export cannot push out every page.
    """

    def __init__(self, size: int = 128, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            content = self._items.get(key)
            if content is not None:
                self._items.move_to_end(key)
            return content

    def set(self, key: str, content: bytes) -> None:
        if len(content) > self.max_bytes // 4:
            return
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous)
            self._items[key] = content
            self._bytes += len(content)
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


recent_pages = RecentPages()


def cached_content(key: str) -> bytes | None:
    content = recent_pages.get(key)
    if content is None:
        content = cache.get(key)
        if content is not None:
            recent_pages.set(key, content)
    return content


def cache_content(key: str, content: bytes) -> None:
    recent_pages.set(key, content)
    cache.set(key, content, CACHE_SECONDS)


def conditional_headers(response: HttpResponse, *, etag: str, private: bool = False) -> None:
    """The ETag, and "always revalidate": cheap (one query, then a 304) and never stale.

    No Last-Modified: the version is a count of changes, not a time, and no timestamp can say
    when a change became visible (a slow transaction commits after it stamps ``updated_at``).
    """
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))


def _wants_fragment(request: HttpRequest) -> bool:
    # htmx asks for the results only, except when restoring history, which needs the whole page.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _has_pending_messages(request: HttpRequest) -> bool:
    # len() does not mark messages as read; a page showing one must not be cached for others.
    return len(get_messages(request)) > 0


def _private_etag_parts(request: HttpRequest) -> list[str]:
    """What a logged-in person's page depends on beyond the directory: who they are, the menu
    they see (staff, dashboard) and the CSRF secret in their log-out form, which changes when
    they log in again. The navigation flags cost the query the page would make anyway."""
    flags = navigation(request)
    get_token(request)  # a first visit gets its CSRF secret now, so the ETag can include it
    return [
        f"user:{request.user.pk}",
        f"staff:{bool(flags['is_charter_staff'])}",
        f"workspace:{bool(flags['has_workspace'])}",
        f"csrf:{request.META.get('CSRF_COOKIE', '')}",
    ]


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    params, errors = parse_request(request)
    fragment = _wants_fragment(request)
    variant = "fragment" if fragment else "page"
    version = directory_version()
    # Anonymous pages are the same for everyone; a logged-in person's header is their own.
    private = request.user.is_authenticated
    conditional = not errors and not _has_pending_messages(request)
    parts = ["html", variant, params.canonical_query()]
    if private and conditional:
        parts += _private_etag_parts(request)
    etag = version.etag(*parts)
    cache_key = f"directory:{variant}:{etag.strip(chr(34))}"

    if conditional:
        response = get_conditional_response(request, etag=etag)
        if response is None and not private:
            content = cached_content(cache_key)
            if content is not None:
                response = HttpResponse(content)
        if response is not None:
            return _finish(response, etag=etag, private=private)

    page = directory_page(params)
    problems = [
        message for messages in {**errors, **page.problems}.values() for message in messages
    ]
    context = {
        "page": page,
        "params": page.params,
        "problems": problems,
        "sort_labels": SORT_LABELS,
        "per_page_choices": PER_PAGE_CHOICES,
        "export_query": page.params.query_string(include_page=False),
        "directory_url": reverse("signatories:directory"),
    }
    template = (
        "signatories/public/directory_fragment.html"
        if fragment
        else "signatories/public/directory.html"
    )
    status = 400 if problems else 200
    response = render(request, template, context, status=status)
    if conditional and not problems:
        if not private:
            cache_content(cache_key, response.content)
        return _finish(response, etag=etag, private=private)
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))
    return response


def _finish(response: HttpResponse, *, etag: str, private: bool) -> HttpResponse:
    conditional_headers(response, etag=etag, private=private)
    patch_vary_headers(response, ["HX-Request"])
    return response


def csv_chunks(rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Rows as UTF-8 CSV, a few thousand at a time: one chunk per row would mean one socket
    write per row, and ``writerows`` on a batch spends less time in Python than ``writerow``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == CSV_ROWS_PER_CHUNK:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate(0)
    writer.writerows(batch)
    yield buffer.getvalue().encode()


def caching_chunks(chunks: Iterable[bytes], *, key: str) -> Iterator[bytes]:
    """Pass ``chunks`` through and, once the last one has gone out, cache the whole body under
    ``key``. Memory stays bounded: past ``CSV_CACHE_MAX_BYTES`` the copy is dropped and the
    export is just streamed. A client that disconnects early leaves nothing cached, since the
    body would be incomplete."""
    kept: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size > CSV_CACHE_MAX_BYTES:
                kept = None
            else:
                kept.append(chunk)
        yield chunk
    if kept is not None:
        cache_content(key, b"".join(kept))


def _csv_response(content: Iterable[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"charter-signatories-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The directory, with the same search and filters, as a CSV file.

    Cached whole under the same versioned key scheme as the pages (an unchanged directory is
    one query and a copy of the body, or a 304), streamed from a server-side cursor when not.
    The cached copy is sent as a one-chunk stream with its length, so both kinds of response
    look alike to the client and to the code that reads them.
    """
    params, errors = parse_request(request, allow_updated_since=True)
    if errors:
        lines = ["The export was not made, because:"]
        lines += [f"- {message}" for messages in errors.values() for message in messages]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    version = directory_version()
    profile_base_url = request.build_absolute_uri(reverse("signatories:directory"))
    etag = version.etag("csv", profile_base_url, params.canonical_query())
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        conditional_headers(not_modified, etag=etag)
        return not_modified

    cache_key = f"directory:csv:{etag.strip(chr(34))}"
    content = cached_content(cache_key)
    if content is not None:
        response = _csv_response([content])
        response["Content-Length"] = str(len(content))
    else:
        rows = export_rows(params, profile_base_url=profile_base_url)
        response = _csv_response(caching_chunks(csv_chunks(rows), key=cache_key))
    conditional_headers(response, etag=etag)
    return response
