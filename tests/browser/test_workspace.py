"""The signatory workspace in a real Chromium: inviting a colleague, editing a pledge, the
representative's confirmation from the emailed link, and axe-core on the workspace pages.

The live server runs in this process with the locmem email backend and inline Celery, so the
links are read from ``mail.outbox``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from pledges.models import PledgeAction, PledgeCommitment
from signatories.models import Invitation, Membership, Representative
from tests.conftest import make_commitments, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def workspace(acme):
    make_commitments(acme)
    return acme


def log_in(page: Page, live_server, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def link_from_mail(live_server, pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(pattern, message.body)
        if found:
            return found.group(0).replace(settings.SITE_URL, live_server.url)
    raise AssertionError(f"no email with {pattern}")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_an_admin_invites_a_colleague_who_accepts_and_edits_a_pledge(
    page: Page, live_server, workspace, alice, password, axe
):
    log_in(page, live_server, "alice@acme.example", password)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Analytics")
    axe(page)

    page.get_by_role("link", name="Team", exact=True).click()
    axe(page)
    page.get_by_label("Their work email address").fill("dee@acme.example")
    page.get_by_label("Editor").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to dee@acme.example")).to_be_visible()
    invitation = link_from_mail(live_server, r"http://\S+/dashboard/invitations/\S+/")
    log_out(page)

    make_user("dee@acme.example", full_name="Dee Dev")
    page.goto(invitation)
    page.get_by_role("link", name="Log in to accept").click()
    page.get_by_label("Email").fill("dee@acme.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("Welcome to Acme Analytics")).to_be_visible()

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Plan").click()
    expect(page).to_have_url(re.compile(r"/dashboard/acme-analytics/pledges/plan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inclusive attraction and recruitment"
    )
    axe(page)
    page.get_by_label("Public commitment statement").fill("Every shortlist has a woman on it.")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save the pledge").click()
    expect(page.get_by_text("saved.")).to_be_visible()

    assert Membership.objects.get(user__email="dee@acme.example").role == "editor"
    plan = PledgeCommitment.objects.get(organisation=workspace, pledge__code="plan")
    assert (plan.progress_status, plan.version) == ("in_progress", 2)


def test_a_representative_confirms_from_the_emailed_link(
    page: Page, live_server, workspace, alice, password, axe
):
    log_in(page, live_server, "alice@acme.example", password)
    page.goto(live_server.url + "/dashboard/acme-analytics/representative/")
    axe(page)
    page.get_by_label("Full name").fill("Erin Exec")
    page.get_by_label("Job title").fill("Chief People Officer")
    page.get_by_label("Email address").fill("erin@acme.example")
    page.get_by_role("button", name="Name the representative").click()
    expect(page.get_by_text("Not confirmed yet").first).to_be_visible()
    link = link_from_mail(live_server, r"http://\S+/dashboard/representative/answer/\S+/")
    log_out(page)

    page.goto(link)
    axe(page)
    page.get_by_role("button", name="I confirm I am the representative").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for confirming")
    assert Representative.objects.get(full_name="Erin Exec").confirmed_at is not None


def test_axe_finds_nothing_serious_with_rows_and_errors_on_the_team_and_pledge_pages(
    page: Page, live_server, workspace, alice, password, axe
):
    Invitation.objects.create(organisation=workspace, email="dee@acme.example", invited_by=alice)
    plan = PledgeCommitment.objects.get(organisation=workspace, pledge__code="plan")
    PledgeAction.objects.create(
        commitment=plan,
        description="Rewrite job adverts",
        owner="Head of Talent",
        due_on=dt.date(2020, 1, 31),  # overdue
    )
    PledgeAction.objects.create(
        commitment=plan, description="Audit interview panels", done_at=timezone.now()
    )
    log_in(page, live_server, "alice@acme.example", password)

    # The team page with a pending invitation row.
    page.goto(live_server.url + "/dashboard/acme-analytics/team/")
    expect(page.get_by_text("dee@acme.example as editor")).to_be_visible()
    axe(page)

    # The pledge page with its actions table.
    page.goto(live_server.url + "/dashboard/acme-analytics/pledges/plan/")
    actions = page.get_by_role("table", name="Actions for this pledge")
    expect(actions.get_by_role("row")).to_have_count(3)
    expect(actions.get_by_text("Overdue")).to_be_visible()
    axe(page)

    # The pledge page after a refused save: the errors and what was typed are shown.
    page.get_by_label("Public commitment statement").fill("Every shortlist has a woman on it.")
    page.get_by_label("Evidence links (private to your team)").fill("not a link")
    page.get_by_role("button", name="Save the pledge").click()
    expect(page.get_by_text("These are not web addresses")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Public commitment statement")).to_have_value(
        "Every shortlist has a woman on it."
    )
    axe(page)

    # And after a refused action: the description is missing.
    page.goto(live_server.url + "/dashboard/acme-analytics/pledges/plan/")
    page.get_by_label("Owner").fill("Bob")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action was not added")).to_be_visible()
    axe(page)
    assert PledgeAction.objects.filter(commitment=plan).count() == 2
