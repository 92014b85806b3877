"""Optional emails: the one-click unsubscribe link (RFC 8058) and its page; essential emails
cannot be switched off."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from pledges.models import EmailOptOut, PledgeCommitment, ReminderDelivery
from pledges.services.reminders.delivery import delivery_send
from pledges.services.reminders.preferences import (
    NotOptional,
    email_opt_out,
    unsubscribe_from_token,
    unsubscribe_token,
    unsubscribe_url,
)
from pledges.services.reminders.sweep import reminders_send_due
from tests.pledges.reminders_helpers import london, sweep_at

pytestmark = pytest.mark.django_db


def path(user, kind: str = "pledge_review") -> str:
    return f"/emails/unsubscribe/{unsubscribe_token(user_id=user.pk, kind=kind)}/"


def test_get_shows_a_button_and_changes_nothing(client, alice):
    response = client.get(path(alice))

    assert response.status_code == 200
    assert b'<button type="submit">Switch these emails off</button>' in response.content
    assert not EmailOptOut.objects.exists()


def test_posting_the_form_opts_out_and_confirms(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path(alice))

    assert response.status_code == 200
    assert "switched off" in response.content.decode()
    assert EmailOptOut.objects.get(user=alice).kind == "pledge_review"


def test_the_one_click_post_from_a_mail_client_works_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path(alice, "staff_digest"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    opt_out = EmailOptOut.objects.get(user=alice)
    assert (opt_out.kind, opt_out.via_link) == ("staff_digest", True)
    # A second click changes nothing and still answers kindly.
    assert client.post(path(alice, "staff_digest")).status_code == 200
    assert EmailOptOut.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ1IjoxLCJrIjoicGxlZGdlX3JldmlldyJ9:1abc:forged"],
)
def test_a_bad_link_is_a_404_that_says_why(client, alice, token):
    response = client.get(f"/emails/unsubscribe/{token}/")

    assert response.status_code == 404
    assert "Unsubscribe link not recognised" in response.content.decode()
    assert client.post(f"/emails/unsubscribe/{token}/").status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_link_for_an_essential_kind_is_refused(client, alice):
    response = client.post(path(alice, "data_due"))

    assert response.status_code == 404
    with pytest.raises(NotOptional):
        email_opt_out(user=alice, kind="data_overdue")
    assert not EmailOptOut.objects.exists()


def test_other_methods_are_refused(client, alice):
    assert client.put(path(alice)).status_code == 405


def test_optional_emails_carry_the_link_and_the_rfc_8058_headers(
    acme_workspace, alice, django_capture_on_commit_callbacks
):
    PledgeCommitment.objects.filter(organisation=acme_workspace).update(
        accepted_at=london(2025, 11, 20, 15, 0)
    )
    sweep_at(london(2026, 11, 20), capture=django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    link = header[1:-1]
    assert link.startswith(unsubscribe_url(user_id=alice.pk, kind="pledge_review")[:40])
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[1]
    assert unsubscribe_from_token(token) == (alice, "pledge_review")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]
    # A mail client's one-click POST to it switches them off.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(link).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=alice, kind="pledge_review").exists()


def test_an_opt_out_made_after_the_claim_skips_the_email(
    acme_workspace, alice, django_capture_on_commit_callbacks
):
    PledgeCommitment.objects.filter(organisation=acme_workspace).update(
        accepted_at=london(2025, 11, 20, 15, 0)
    )
    with (
        django_capture_on_commit_callbacks(execute=False),
        time_machine.travel(london(2026, 11, 20), tick=False),
    ):
        reminders_send_due()
    EmailOptOut.objects.create(user=alice, kind="pledge_review", at=timezone.now())
    row = ReminderDelivery.objects.get()

    assert delivery_send(delivery_id=row.pk) == "skipped"
    assert mail.outbox == []
