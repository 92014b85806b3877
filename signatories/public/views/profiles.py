"""A signatory's public profile page (``/signatories/<slug>/``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pledges.selectors.compliance import reported_years
from pledges.services.commitments import EDITABLE_PLEDGES
from signatories.selectors import organisation_profile, profile_join_state


@require_safe
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_profile(slug=slug)
    if organisation is None:
        raise Http404("No signatory with that address.")
    return render(
        request,
        "signatories/public/profile.html",
        {
            "organisation": organisation,
            "progress_pledges": EDITABLE_PLEDGES,
            "join_state": profile_join_state(organisation=organisation, user=request.user),
            # Only the years: the figures are never public.
            "reported_years": reported_years(organisation),
        },
    )
