"""The raw data access log (``/staff/data/access-log/``): every staff view or download of raw
diversity figures, newest first, for any member of staff to read (the log names people and
organisations, never figures)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from charter.permissions import staff_required
from pledges.models import ReportingCycle
from pledges.selectors.cycles import raw_access_log
from pledges.staff.cycle_forms import AccessLogFilterForm


@require_safe
@staff_required
def access_log(request: HttpRequest) -> HttpResponse:
    cycles = {cycle.year: cycle for cycle in ReportingCycle.objects.order_by("-year")}
    form = AccessLogFilterForm(request.GET or None, years=list(cycles))
    if request.GET and not form.is_valid():
        return render(
            request, "pledges/staff/data/access_log.html", {"form": form, "page": None}, status=400
        )
    year = form.cleaned_data.get("cycle") if form.is_bound else None
    page = raw_access_log(cycle=cycles.get(year), page=request.GET.get("page", 1))
    return render(
        request,
        "pledges/staff/data/access_log.html",
        {"form": form, "page": page, "year": year or ""},
    )
