"""What the reminders look like and when they go: a preview of every email with sample data
(``/staff/data/reminders/previews/``), and an open cycle's next 30 days
(``/staff/data/<year>/reminders/``).

The HTML part of a preview is served on its own, as the email itself, never inside a staff
page: it is a whole document with the email's own inline styles, which the site's policy
refuses. Its response carries a policy of its own instead: inline styles only, no scripts, no
requests, no forms, sandboxed, so even a bug in an email template runs nothing in staff's
browser.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from charter.permissions import staff_required
from pledges.models import CycleStatus, ReportingCycle
from pledges.selectors.reminders_forecast import reminders_forecast
from pledges.services.reminders.messages import message_samples

FORECAST_DAYS = 30
EMAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox"
)


@require_safe
@staff_required
def previews(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pledges/staff/data/reminders/previews.html",
        {"samples": list(enumerate(message_samples()))},
    )


@require_safe
@staff_required
def preview_html(request: HttpRequest, number: int) -> HttpResponse:
    samples = message_samples()
    if not 0 <= number < len(samples):
        raise Http404("No email preview has that number.")
    response = HttpResponse(samples[number].rendered.html, content_type="text/html; charset=utf-8")
    # Set here, so django-csp leaves it as it is (it adds its policy only where none is set).
    response["Content-Security-Policy"] = EMAIL_POLICY
    return response


@require_safe
@staff_required
def cycle_forecast(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(ReportingCycle, year=year)
    start = timezone.localdate()
    days = (
        reminders_forecast(cycle=cycle, start=start, days=FORECAST_DAYS)
        if cycle.status == CycleStatus.OPEN
        else []
    )
    return render(
        request,
        "pledges/staff/data/reminders/forecast.html",
        {"cycle": cycle, "days": days, "start": start, "length": FORECAST_DAYS},
    )
