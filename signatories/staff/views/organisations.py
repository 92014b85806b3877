"""Charter staff's list of signatory organisations: status, representative and data contact.

Staff need to see at a glance which organisations have a representative who has not confirmed
(or has declined) the role, and which have no data contact, whatever their public status.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from charter.permissions import staff_required
from signatories.choices import OrganisationStatus
from signatories.models import Organisation, Representative
from signatories.search import name_search
from signatories.services.representatives import representative_confirmation_state

PAGE_SIZE = 50


class OrganisationFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Every status"), *OrganisationStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list: %(value)s is not one."},
    )
    q = forms.CharField(label="Search by name", required=False, max_length=200)


def staff_organisations(*, status: str = "", q: str = "") -> QuerySet[Organisation]:
    """Organisations by signatory number, each with ``current_representatives`` (0 or 1 rows).

    The representatives come in one prefetch query for the whole page, so the page costs the
    same number of queries whatever its length.
    """
    organisations = Organisation.objects.only(
        "signatory_number",
        "public_name",
        "legal_name",
        "slug",
        "status",
        "signed_on",
        "withdrawn_on",
        "data_contact_name",
        "data_contact_email",
    ).prefetch_related(
        Prefetch(
            "representatives",
            queryset=Representative.objects.filter(ended_at__isnull=True).only(
                "organisation_id", "full_name", "named_at", "confirmed_at", "declined_at"
            ),
            to_attr="current_representatives",
        )
    )
    if status:
        organisations = organisations.filter(status=status)
    # The directory's search: any case, with or without accents, every word.
    return name_search(organisations, q).order_by("signatory_number")


@require_safe
@staff_required
def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET)
    status, q = "", ""
    if form.is_valid():
        status, q = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    else:
        # Show every organisation rather than none, with the reason next to the filter; a
        # valid search typed alongside the bad value still applies.
        q = form.cleaned_data.get("q", "").strip()
    page = Paginator(staff_organisations(status=status, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for organisation in page.object_list:
        representative = next(iter(organisation.current_representatives), None)
        rows.append(
            {
                "organisation": organisation,
                "representative": representative,
                "state": representative_confirmation_state(representative),
                "has_data_contact": bool(organisation.data_contact_email),
            }
        )
    return render(
        request,
        "signatories/staff/organisations.html",
        {"form": form, "page": page, "rows": rows, "status": status, "q": q},
        status=200 if form.is_valid() else 400,
    )
