"""The organisation's own benchmark against its peers, as a page and as a one-page PDF.

Members only, through ``workspace_for`` (another organisation's address is a 404, a logged-out
visitor is sent to log in). The page shows the organisation's own figures and published cells,
never another organisation's figures (reports.benchmark).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports.benchmark import MEASURES, MIN_PEER_ORGANISATIONS, own_benchmark
from reports.pdf import pdf_response, render_pdf
from signatories.permissions import workspace_for


@require_safe
@login_required
def benchmark(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = workspace_for(request.user, slug)
    return render(
        request,
        "reports/workspace/benchmark.html",
        {
            **workspace.context(),
            "years": own_benchmark(organisation=workspace.organisation),
            "measure_count": len(MEASURES),
            "min_peer_organisations": MIN_PEER_ORGANISATIONS,
        },
    )


@require_safe
@login_required
def benchmark_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest published year on one page."""
    workspace = workspace_for(request.user, slug)
    years = own_benchmark(organisation=workspace.organisation)
    if not years:
        raise Http404("No benchmarking report has been published yet.")
    organisation = workspace.organisation
    pdf = render_pdf(
        "reports/workspace/benchmark_pdf.html",
        {
            "organisation": organisation,
            "year": years[0],
            "min_peer_organisations": MIN_PEER_ORGANISATIONS,
            # One page whatever staff wrote: a long correction note is shortened on paper.
            "for_print": True,
        },
        request=request,
    )
    filename = f"benchmark-{organisation.slug}-{years[0].year}.pdf"
    return pdf_response(pdf, filename=filename, inline=False)
