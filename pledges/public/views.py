"""The practices charter staff made public (``/practices/``), for anyone to read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from pledges.selectors.workspace import practices_public


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    shown = practices_public()
    return render(request, "pledges/public/list.html", {"practices": shown})


@require_safe
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(practices_public(), pk=pk)
    return render(request, "pledges/public/detail.html", {"practice": practice})
