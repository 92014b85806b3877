"""A published benchmarking report is announced through the reminders' delivery: each active
signatory's admins and data contact, one email per person listing their organisations, once."""

from __future__ import annotations

import pytest
from django.core import mail

from pledges.models import ReminderDelivery
from pledges.services.reminders.announcements import report_published_announce
from signatories.models import Membership
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def announce(capture, *, version: int = 1):
    with capture(execute=True):
        return report_published_announce(year=2025, version=version)


def test_every_active_signatory_hears_once_with_a_link_to_its_own_benchmark(
    acme, globex, alice, django_capture_on_commit_callbacks
):
    acme.data_contact_email = "data@acme.example"
    acme.save()
    Membership.objects.create(organisation=globex, user=alice, role="admin")
    make_organisation("Dormant Co", number=9, status="suspended", data_contact_email="x@d.example")

    announce(django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {
        "alice@acme.example",
        "data@acme.example",
        "charlie@globex.example",
    }
    alices = by_recipient["alice@acme.example"]  # admin of both: one email naming both
    assert alices.subject == "The 2025 benchmarking report is published"
    assert "/dashboard/acme-analytics/benchmark/" in alices.body
    assert "/dashboard/globex/benchmark/" in alices.body
    assert "/reports/2025/" in alices.body
    assert "List-Unsubscribe" not in alices.extra_headers  # essential: no opt-out
    html = alices.alternatives[0][0]
    assert 'href="https://' in html or 'href="http://' in html
    assert ReminderDelivery.objects.filter(kind="report_published", state="sent").count() == 3


def test_announcing_again_sends_nothing_new_and_a_correction_is_news(
    acme, django_capture_on_commit_callbacks
):
    announce(django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    again = announce(django_capture_on_commit_callbacks)
    assert again.claimed == 0
    assert len(mail.outbox) == sent

    announce(django_capture_on_commit_callbacks, version=2)
    assert mail.outbox[-1].subject.startswith("Corrected: The 2025 benchmarking report")
