"""Staff suspend and reinstate a signatory: it leaves the public directory and its profile,
its team sees why, and every change is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from signatories.models import DirectoryFacetCount, OrganisationStatusChange
from signatories.services import ServiceError
from signatories.services.organisations import organisation_reinstate, organisation_suspend
from tests.conftest import make_cycle
from tests.pledges.review_data import submitted_return

pytestmark = pytest.mark.django_db

REASON = "No diversity data for two years in a row."


def software_count() -> int:
    row = DirectoryFacetCount.objects.filter(dimension="sector", code="software").first()
    return row.count if row else 0


def test_suspending_hides_it_from_the_directory_and_profile_until_reinstated(
    client, acme, staff_user, require_postgres
):
    before = software_count()
    assert "Acme Analytics" in client.get("/signatories/").content.decode()

    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False):
        organisation_suspend(organisation=acme, by=staff_user, reason=REASON)

    acme.refresh_from_db()
    assert (acme.status, acme.suspension_reason, acme.suspended_on) == (
        "suspended",
        REASON,
        dt.date(2026, 12, 1),
    )
    assert "Acme Analytics" not in client.get("/signatories/").content.decode()
    assert client.get(f"/signatories/{acme.slug}/").status_code == 404
    assert software_count() == before - 1

    organisation_reinstate(organisation=acme, by=staff_user, reason="They reported.")

    acme.refresh_from_db()
    assert (acme.status, acme.suspension_reason, acme.suspended_on) == ("active", "", None)
    assert client.get(f"/signatories/{acme.slug}/").status_code == 200
    assert software_count() == before
    assert list(
        OrganisationStatusChange.objects.order_by("id").values_list(
            "from_status", "to_status", "reason", "by"
        )
    ) == [
        ("active", "suspended", REASON, staff_user.pk),
        ("suspended", "active", "They reported.", staff_user.pk),
    ]


def test_a_reason_is_required_and_the_status_must_fit(acme, staff_user):
    with pytest.raises(ServiceError):
        organisation_suspend(organisation=acme, by=staff_user, reason=" ")
    with pytest.raises(ServiceError):
        organisation_reinstate(organisation=acme, by=staff_user, reason="Not suspended")
    assert not OrganisationStatusChange.objects.exists()


def test_the_team_sees_the_reason_on_its_dashboard(client, acme_workspace, alice, staff_user):
    organisation_suspend(organisation=acme_workspace, by=staff_user, reason=REASON)
    client.force_login(alice)

    html = client.get(f"/dashboard/{acme_workspace.slug}/").content.decode()

    assert 'data-testid="suspension-notice"' in html and REASON in html


def test_staff_suspend_and_reinstate_from_the_organisations_page(client, acme, staff_user, alice):
    client.force_login(alice)
    assert (
        client.post(f"/staff/organisations/{acme.pk}/suspend/", {"reason": "x"}).status_code == 403
    )
    client.force_login(staff_user)
    listing = client.get("/staff/organisations/").content.decode()
    assert f"/staff/organisations/{acme.pk}/suspend/" in listing

    assert client.get(f"/staff/organisations/{acme.pk}/suspend/").status_code == 200
    refused = client.post(f"/staff/organisations/{acme.pk}/suspend/", {"reason": ""})
    assert refused.status_code == 400 and 'href="#id_reason"' in refused.content.decode()
    done = client.post(f"/staff/organisations/{acme.pk}/suspend/", {"reason": REASON})
    assert done.status_code == 302
    acme.refresh_from_db()
    assert acme.status == "suspended"
    # Suspending twice: the page is for active organisations only.
    assert client.get(f"/staff/organisations/{acme.pk}/suspend/").status_code == 404

    back = client.post(f"/staff/organisations/{acme.pk}/reinstate/", {"reason": "Reported"})
    assert back.status_code == 302
    acme.refresh_from_db()
    assert acme.status == "active"


def test_the_public_profile_shows_the_years_reported_never_a_figure(client, acme):
    reported = make_cycle(2025, status="closed")
    submitted_return(acme, reported)
    still_open = make_cycle(2026)
    submitted_return(acme, still_open)

    html = client.get(f"/signatories/{acme.slug}/").content.decode()

    assert "in 2025." in html
    assert "2026" not in html.split('data-testid="reported-years"')[1].split("</p>")[0]
    # 40 tech staff, 120 employees, 10 women: none of the figures appear.
    for figure in ("120", ">40<", " 40 ", "tech_total"):
        assert figure not in html
