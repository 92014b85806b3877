"""The unsubscribe pages and every reminder email's HTML part, in Chromium, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pledges.models import EmailOptOut
from pledges.services.reminders.messages import message_samples
from pledges.services.reminders.preferences import unsubscribe_token
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_unsubscribes_from_an_accessible_page(page: Page, live_server, axe):
    user = make_user("alice@acme.example")
    token = unsubscribe_token(user_id=user.pk, kind="pledge_review")

    page.goto(f"{live_server.url}/emails/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Switch off “Pledge not reviewed for a year” emails"
    )
    axe(page)
    page.get_by_role("button", name="Switch these emails off").click()

    expect(page.get_by_role("status")).to_contain_text("alice@acme.example")
    axe(page)
    assert EmailOptOut.objects.filter(user=user, kind="pledge_review", via_link=True).exists()


def test_a_bad_link_gets_an_accessible_explanation(page: Page, live_server, axe):
    response = page.goto(f"{live_server.url}/emails/unsubscribe/not-a-token/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe link not recognised")
    axe(page)


def test_every_reminder_email_reads_well_in_a_browser(page: Page, axe):
    samples = message_samples()
    assert len(samples) >= 10
    for sample in samples:
        page.set_content(sample.rendered.html)
        expect(page.get_by_role("heading", level=1)).to_have_text(sample.rendered.subject)
        axe(page)
