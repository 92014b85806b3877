"""The public directory (``/signatories/``) and its CSV export (``/signatories/export.csv``).

Both are conditional (an ETag and Last-Modified derived from :func:`directory_version`, so an
unchanged directory costs one query and a 304), and the directory's HTML is cached for anonymous
visitors under a key that includes that version: any change to a signatory changes the key, so
nothing needs to be deleted when data changes.
"""

from __future__ import annotations

import csv
import io
import threading
from calendar import timegm
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from signatories.directory import (
    PER_PAGE_CHOICES,
    SORT_LABELS,
    DirectoryVersion,
    directory_page,
    directory_version,
    export_rows,
    parse_params,
)

# Cached pages are keyed by version, so old entries are never read again; they just expire.
CACHE_SECONDS = 10 * 60
CSV_ROWS_PER_CHUNK = 500


class RecentPages:
    """The pages this process served last, in front of the shared cache (Redis in production).

    A hit here costs no network round trip and no unpickling, which is most of what a cached
    page costs. Keys include the directory version, so an entry can never be served stale; the
    oldest entries are dropped beyond ``size`` (about 30 KB each).
    """

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            content = self._items.get(key)
            if content is not None:
                self._items.move_to_end(key)
            return content

    def set(self, key: str, content: bytes) -> None:
        with self._lock:
            self._items[key] = content
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


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


def last_modified(version: DirectoryVersion) -> int | None:
    return timegm(version.latest.utctimetuple()) if version.latest else None


def conditional_headers(response: HttpResponse, *, etag: str, version: DirectoryVersion) -> None:
    response["ETag"] = etag
    if version.latest:
        response["Last-Modified"] = version.latest.strftime("%a, %d %b %Y %H:%M:%S GMT")
    # Always revalidate: cheap (one query, then a 304) and never stale.
    patch_cache_control(response, no_cache=True)


def _wants_fragment(request: HttpRequest) -> bool:
    # htmx asks for the results only, except when restoring history, which needs the whole page.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _has_pending_messages(request: HttpRequest) -> bool:
    # len() does not mark messages as read; a page showing one must not be cached for others.
    return len(get_messages(request)) > 0


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    params, errors = parse_params(request.GET)
    fragment = _wants_fragment(request)
    variant = "fragment" if fragment else "page"
    version = directory_version()
    # Anonymous pages are the same for everyone; a logged-in person's header is their own.
    shared = not errors and not request.user.is_authenticated and not _has_pending_messages(request)
    etag = version.etag("html", variant, params.canonical_query())
    cache_key = f"directory:{variant}:{etag.strip(chr(34))}"

    if shared:
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified(version)
        )
        if response is None:
            content = cached_content(cache_key)
            if content is not None:
                response = HttpResponse(content)
        if response is not None:
            return _finish(response, etag=etag, version=version)

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
    template = "signatories/directory_fragment.html" if fragment else "signatories/directory.html"
    status = 400 if problems else 200
    response = render(request, template, context, status=status)
    if shared and not problems:
        cache_content(cache_key, response.content)
        return _finish(response, etag=etag, version=version)
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, no_cache=True)
    return response


def _finish(response: HttpResponse, *, etag: str, version: DirectoryVersion) -> HttpResponse:
    conditional_headers(response, etag=etag, version=version)
    patch_vary_headers(response, ["HX-Request"])
    return response


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """Rows as CSV text, a few hundred at a time: one chunk per row would mean one socket
    write per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The directory, with the same search and filters, as a streamed CSV file."""
    params, errors = parse_params(request.GET, allow_updated_since=True)
    if errors:
        lines = ["The export was not made, because:"]
        lines += [f"- {message}" for messages in errors.values() for message in messages]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    version = directory_version()
    profile_base_url = request.build_absolute_uri(reverse("signatories:directory"))
    etag = version.etag("csv", profile_base_url, params.canonical_query())
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=last_modified(version)
    )
    if not_modified is not None:
        conditional_headers(not_modified, etag=etag, version=version)
        return not_modified

    rows = export_rows(params, profile_base_url=profile_base_url)
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    filename = f"charter-signatories-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    conditional_headers(response, etag=etag, version=version)
    return response


def home_directory_context() -> dict:
    """What the home page shows of the directory: the live count, the newest signatories and
    the chart of signatories over time (two queries)."""
    from signatories.directory import bar_chart, newest_signatories, signatories_over_time

    series = signatories_over_time()
    return {
        "signatory_count": series[-1].count if series else 0,
        "newest_signatories": newest_signatories(),
        "signatories_over_time": series,
        "signatories_chart": bar_chart(series),
    }
