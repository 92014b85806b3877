"""The public profile: pledge progress (never the private parts), withdrawn signatories, and the
way in for a logged-in user who belongs to no organisation yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pledges.models import PledgeAction
from signatories.choices import JoinRequestStatus, OrganisationStatus
from signatories.models import JoinRequest, Organisation
from signatories.services.join_requests import join_request_create
from tests.conftest import make_user

PRIVATE_WORDS = (
    "SECRET-ACTION-WHAT",
    "SECRET-ACTION-OWNER",
    "SECRET-EVIDENCE-NOTE",
    "secret-evidence.example",
)


@pytest.fixture
def acme_with_progress(acme_workspace, alice) -> Organisation:
    commitments = {c.pledge.code: c for c in acme_workspace.commitments.select_related("pledge")}
    for code, status in (("plan", "in_progress"), ("policies", "embedded"), ("practice", "")):
        commitment = commitments[code]
        commitment.public_statement = f"Our {code} statement."
        if status:
            commitment.progress_status = status
            commitment.progress_summary = f"Public {code} summary."
        commitment.evidence_notes = "SECRET-EVIDENCE-NOTE"
        commitment.evidence_links = "https://secret-evidence.example/report"
        commitment.save()
        PledgeAction.objects.create(
            commitment=commitment,
            description="SECRET-ACTION-WHAT",
            owner="SECRET-ACTION-OWNER",
            due_on=dt.date(2026, 1, 31),
            created_by=alice,
        )
    return acme_workspace


# --- Progress, and nothing private ----------------------------------------------------------------


def test_the_profile_shows_the_progress_of_plan_policies_and_practice(
    client, acme_with_progress, django_assert_num_queries
):
    # The organisation, its current representative, its commitments with their pledges, the
    # years it reported diversity data.
    with django_assert_num_queries(4):
        response = client.get("/signatories/acme-analytics/")

    html = response.content.decode()
    assert 'data-testid="progress-plan"><strong>Progress:</strong> In progress' in html
    assert 'data-testid="progress-policies"><strong>Progress:</strong> Embedded' in html
    assert 'data-testid="progress-practice"><strong>Progress:</strong> Not started' in html
    assert "Public plan summary." in html and "Public policies summary." in html
    assert 'data-testid="progress-people"' not in html
    assert 'data-testid="progress-data"' not in html


def test_private_actions_and_evidence_never_reach_the_profile_or_the_open_data(
    client, acme_with_progress
):
    profile = client.get("/signatories/acme-analytics/").content.decode()
    api = client.get("/api/signatories/").content.decode()
    csv = b"".join(client.get("/signatories/export.csv").streaming_content).decode()

    assert "Public plan summary." in profile
    assert "Acme Analytics" in api and "Acme Analytics" in csv  # the pages did list acme
    for word in PRIVATE_WORDS:
        assert word not in profile
        assert word not in api
        assert word not in csv


# --- Withdrawn signatories ----------------------------------------------------------------------


def test_a_withdrawn_profile_without_a_withdrawal_date_still_reads_well(client, acme):
    Organisation.objects.filter(pk=acme.pk).update(
        status=OrganisationStatus.WITHDRAWN, withdrawn_on=None
    )

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert (
        "Acme Analytics was a signatory from 1 March 2024 until it withdrew from the charter "
        "(signatory number 1)." in html
    )
    assert " to ." not in html


def test_a_withdrawn_profile_gives_its_dates_and_signatory_number(client, acme):
    Organisation.objects.filter(pk=acme.pk).update(
        status=OrganisationStatus.WITHDRAWN, withdrawn_on=dt.date(2025, 7, 31)
    )

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert (
        "Acme Analytics was a signatory from 1 March 2024 to 31 July 2025 (signatory number 1)."
        in html
    )


# --- Asking to join from the profile ------------------------------------------------------------

ASK_TO_JOIN = '<a class="button button--secondary" href="/sign/join/acme-analytics/"'


def test_a_logged_in_outsider_is_offered_to_ask_to_join(
    client, charlie, acme, django_assert_num_queries
):
    client.force_login(charlie)

    # Session, user, organisation, representative, commitments, the years reported, one for
    # membership and pending request together (the navigation's staff check comes with the
    # user): the same whatever the data.
    with django_assert_num_queries(7):
        html = client.get("/signatories/acme-analytics/").content.decode()

    assert ASK_TO_JOIN in html
    assert "Ask to join this organisation" in html


def test_members_and_anonymous_visitors_are_not_offered_to_join(client, bob, acme):
    anonymous = client.get("/signatories/acme-analytics/").content.decode()
    client.force_login(bob)
    member = client.get("/signatories/acme-analytics/").content.decode()

    assert "Ask to join" not in anonymous
    assert "Ask to join" not in member


def test_a_pending_request_is_shown_instead_of_the_link(client, charlie, acme):
    join_request_create(user=charlie, organisation=acme, job_title="Engineer")
    client.force_login(charlie)

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert "Ask to join this organisation" not in html
    assert "You have asked to join Acme Analytics" in html


def test_a_withdrawn_organisation_cannot_be_asked_to_join(client, charlie, acme):
    Organisation.objects.filter(pk=acme.pk).update(
        status=OrganisationStatus.WITHDRAWN, withdrawn_on=dt.date(2025, 7, 31)
    )
    client.force_login(charlie)

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert "Ask to join" not in html


def test_asking_to_join_needs_a_verified_email(client, acme, django_capture_on_commit_callbacks):
    unverified = make_user("dave@acme.example", verified=False)

    anonymous = client.get("/sign/join/acme-analytics/")
    client.force_login(unverified)
    with django_capture_on_commit_callbacks(execute=True):
        shown = client.get("/sign/join/acme-analytics/")
        posted = client.post("/sign/join/acme-analytics/", {"job_title": "Engineer"})

    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/?next=/sign/join/acme-analytics/")
    for response in (shown, posted):
        assert b"verify" in response.content.lower()
        assert b"Ask to join Acme Analytics" not in response.content
    assert not JoinRequest.objects.exists()
    assert any("Confirm" in message.subject for message in mail.outbox)


def test_a_sent_request_leads_to_the_dashboard_which_lists_it(client, charlie, acme):
    client.force_login(charlie)

    response = client.post("/sign/join/acme-analytics/", {"job_title": "Engineer"}, follow=True)

    assert response.redirect_chain[-1][0] == "/dashboard/"
    html = response.content.decode()
    assert 'data-testid="pending-join-requests"' in html
    assert '<a href="/signatories/acme-analytics/">Acme Analytics</a>' in html


# --- The dashboard of a user with no organisation -----------------------------------------------


def test_a_user_without_an_organisation_is_offered_to_apply_or_to_find_theirs(client, db):
    client.force_login(make_user("erin@example.org"))

    html = client.get("/dashboard/").content.decode()

    assert '<a class="button" href="/sign/">Apply to sign</a>' in html
    assert 'href="/signatories/" data-testid="find-organisation"' in html
    assert "Your requests to join" not in html


def test_the_dashboard_lists_pending_requests_in_a_fixed_number_of_queries(
    client, charlie, acme, globex, django_assert_num_queries
):
    erin = make_user("erin@example.org")
    join_request_create(user=erin, organisation=acme, job_title="Engineer")
    answered = join_request_create(user=erin, organisation=globex, job_title="Analyst")
    JoinRequest.objects.filter(pk=answered.pk).update(
        status=JoinRequestStatus.REFUSED, decided_at=timezone.now()
    )
    client.force_login(erin)

    # Session, user (with the navigation's staff check), the user's organisations, the user's
    # pending requests with their organisations.
    with django_assert_num_queries(4):
        html = client.get("/dashboard/").content.decode()

    assert '<a href="/signatories/acme-analytics/">Acme Analytics</a>' in html
    assert "as Engineer; waiting for its admins to answer" in html
    assert "Globex" not in html  # refused requests are not pending
