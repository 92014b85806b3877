from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from charter.models import Pledge
from reports.pdf import pdf_response, render_pdf
from reports.selectors import latest_published_report
from signatories.directory import home_directory_context

# Context figures quoted on the home page and in the charter (sources in DESIGN.md §1).
CONTEXT_FIGURES = {
    "women_in_tech_jobs_percent": 17,
    "girls_interested_percent": 21,
    "boys_interested_percent": 74,
    "first_signatories": 17,
    "signatories_after_two_years": 290,
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "charter/public/home.html",
        {
            "pledges": Pledge.objects.all(),
            "figures": CONTEXT_FIGURES,
            "latest_report": latest_published_report(),
            # signatory_count, newest_signatories and the growth chart, from the directory's reads
            **home_directory_context(),
        },
    )


@require_safe
def charter_page(request: HttpRequest) -> HttpResponse:
    return render(request, "charter/public/charter.html", {"pledges": Pledge.objects.all()})


@require_safe
def charter_pdf(request: HttpRequest) -> HttpResponse:
    pdf = render_pdf(
        "charter/public/charter_pdf.html",
        {"pledges": Pledge.objects.all(), "figures": CONTEXT_FIGURES},
        request=request,
    )
    return pdf_response(pdf, filename="charter.pdf")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_answers() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        return bool(client.ping())
    except Exception:
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Tell a load balancer whether this instance can serve: 200 when every configured part
    answers, 503 otherwise, with a JSON body naming each part."""
    checks = {"database": "ok" if _database_answers() else "failing"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_answers() else "failing"
    else:
        checks["broker"] = "not configured"
    healthy = "failing" not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
    )


ROBOTS_TXT = """User-agent: *
Disallow: /accounts/
Disallow: /admin/
Disallow: /dashboard/
Disallow: /sign/
Disallow: /staff/
"""


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """What crawlers may index: the public pages, not the workspaces. No database access, so
    bench/directory.py also uses it as its trivial baseline view."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")
