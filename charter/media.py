"""Serving uploaded files (today only organisation logos) in development and production alike.

Django's ``static()`` helper serves media only while DEBUG is on, which left logos broken in
production. This view serves them from ``MEDIA_ROOT`` whatever DEBUG says, defensively:

- only image types we produce ourselves (uploads are re-encoded as PNG, see
  ``signatories/services/logos.py``); anything else, including any SVG stored before uploads were
  rasterised, is a 404, so no uploaded markup can ever reach a visitor as a document;
- the path must stay inside ``MEDIA_ROOT`` (``safe_join`` refuses ``..`` and absolute paths);
- ``nosniff`` and a sandboxing Content-Security-Policy, so that even a file a browser opened
  directly could run nothing;
- stored names change whenever a logo changes (the storage picks a free name), so a long cache
  lifetime is safe.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
CACHE_SECONDS = 60 * 60 * 24 * 365


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    content_type = CONTENT_TYPES.get(Path(path).suffix.lower())
    if content_type is None:
        raise Http404("No such file.")
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError):
        raise Http404("No such file.") from None
    if not full_path.is_file():
        raise Http404("No such file.")
    response = FileResponse(full_path.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}, immutable"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
