"""What people see of the reminders: an organisation's admins see the emails sent to their team
(only their organisation's part of each), and everyone switches the optional emails on or off
in their account settings."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pledges.models import EmailOptOut, ReminderKind
from tests.conftest import make_user
from tests.pledges.reminder_pages_data import OCTOBER_24, make_delivery

pytestmark = pytest.mark.django_db

EMAILS = "/dashboard/acme-analytics/emails/"
PREFERENCES = "/accounts/email-preferences/"


def checkbox(page: str, name: str) -> str:
    """The <input> tag of the checkbox called ``name``."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no checkbox {name}"
    return match.group(0)


@pytest.fixture
def consultant(acme, globex):
    """Carla is admin of both Acme and Globex: one email per step lists both."""
    from signatories.models import Membership

    carla = make_user("carla@consult.example", full_name="Carla Consultant")
    Membership.objects.create(organisation=acme, user=carla, role="admin")
    Membership.objects.create(organisation=globex, user=carla, role="admin")
    return carla


# ---- the team's emails ----------------------------------------------------------------------


def test_an_admin_sees_the_emails_sent_to_the_team(client, alice, acme, globex):
    make_delivery(recipient="alice@acme.example", organisations=[acme])
    make_delivery(
        recipient="bob@acme.example",
        organisations=[acme],
        kind=ReminderKind.DATA_OVERDUE,
        step="after:1:2026-10-31",
        state="failed",
        at=OCTOBER_24 + dt.timedelta(days=8),
    )
    make_delivery(recipient="charlie@globex.example", organisations=[globex])
    client.force_login(alice)

    response = client.get(EMAILS)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="email-row"') == 2
    assert page.index("bob@acme.example") < page.index("alice@acme.example")
    assert "Data return overdue" in page
    assert "1 day after 31 Oct 2026" in page
    assert "Failed" in page
    assert "charlie@globex.example" not in page


def test_an_email_listing_two_organisations_shows_only_this_ones_part(
    client, alice, charlie, acme, globex, consultant
):
    make_delivery(
        recipient="carla@consult.example",
        organisations=[acme, globex],
        subject_line="Data returns due: Acme Analytics and Globex",
    )

    client.force_login(alice)
    acme_page = client.get(EMAILS).content.decode()
    client.force_login(charlie)
    globex_page = client.get("/dashboard/globex/emails/").content.decode()

    assert acme_page.count('data-testid="email-row"') == 1
    assert globex_page.count('data-testid="email-row"') == 1
    # The subject line names every organisation of the email: it is not shown.
    assert "Globex" not in acme_page.split('data-testid="team-emails"')[1]
    assert "Acme" not in globex_page.split('data-testid="team-emails"')[1]


def test_an_editor_gets_403(client, bob, acme):
    client.force_login(bob)

    assert client.get(EMAILS).status_code == 403


def test_another_organisations_admin_gets_404(client, charlie, acme, globex):
    client.force_login(charlie)

    assert client.get(EMAILS).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, acme):
    response = client.get(EMAILS)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={EMAILS}"


def test_admins_find_the_page_from_the_team_page_and_the_workspace_menu(
    client, alice, bob, acme_workspace
):
    client.force_login(alice)
    page = client.get("/dashboard/acme-analytics/team/").content.decode()
    assert page.count(f'href="{EMAILS}"') == 2
    client.force_login(bob)
    assert f'href="{EMAILS}"' not in client.get("/dashboard/acme-analytics/team/").content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_team_emails_page_makes_a_fixed_number_of_queries(
    client, alice, acme, globex, size, django_assert_num_queries
):
    for number in range(size):
        make_delivery(
            recipient=f"person{number}@acme.example",
            organisations=[acme, globex],
            at=OCTOBER_24 + dt.timedelta(minutes=number),
        )
    client.force_login(alice)
    client.get(EMAILS)
    # session, user (with the navigation's staff check), memberships (with the organisation
    # switcher's), the count, the page, the claims
    with django_assert_num_queries(6):
        response = client.get(EMAILS)
    assert response.content.decode().count('data-testid="email-row"') == size


# ---- email preferences ----------------------------------------------------------------------


def test_preferences_need_a_log_in(client, db):
    response = client.get(PREFERENCES)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PREFERENCES}"


def test_a_signatory_can_switch_off_pledge_review_nudges_but_sees_no_staff_digest(client, alice):
    client.force_login(alice)

    page = client.get(PREFERENCES).content.decode()

    assert "checked" in checkbox(page, "pledge_review")
    assert 'name="staff_digest"' not in page
    essential = page.split('data-testid="essential-emails"')[1]
    for kind in ReminderKind:
        if kind not in (ReminderKind.PLEDGE_REVIEW, ReminderKind.STAFF_DIGEST):
            assert kind.label in essential
    assert "cannot be switched off" in page


def test_switching_off_and_on_again_is_saved(client, alice):
    client.force_login(alice)

    response = client.post(PREFERENCES, {})

    assert response.status_code == 302
    assert response["Location"] == PREFERENCES
    assert list(EmailOptOut.objects.values_list("user", "kind", "via_link")) == [
        (alice.pk, "pledge_review", False)
    ]
    page = client.get(PREFERENCES).content.decode()
    assert "checked" not in checkbox(page, "pledge_review")

    client.post(PREFERENCES, {"pledge_review": "on"})

    assert not EmailOptOut.objects.exists()


def test_a_signatory_cannot_opt_out_of_the_staff_digest_they_do_not_get(client, alice):
    client.force_login(alice)

    client.post(PREFERENCES, {"pledge_review": "on"})

    assert not EmailOptOut.objects.exists()


def test_staff_can_switch_off_their_digest(client, staff_user):
    client.force_login(staff_user)
    assert 'name="staff_digest"' in client.get(PREFERENCES).content.decode()

    client.post(PREFERENCES, {"pledge_review": "on"})

    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == ["staff_digest"]


def test_the_account_pages_link_to_the_preferences(client, alice):
    client.force_login(alice)

    assert f'href="{PREFERENCES}"' in client.get("/accounts/email/").content.decode()
