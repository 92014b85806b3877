"""Exactly once under concurrency, on PostgreSQL: sweeps started at the same instant, and
workers handed the same delivery. (Real workers and a real SMTP server: tests/charter.)"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from pledges.models import ReminderClaim, ReminderDelivery
from pledges.services.reminders.delivery import delivery_send
from pledges.services.reminders.sweep import reminders_send_due
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.concurrency import run_concurrently
from tests.conftest import make_cycle, make_organisation, make_user
from tests.pledges.reminders_helpers import london

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def twenty_organisations():
    make_cycle(2026)
    shared = make_user("shared@org.example")
    for number in range(1, 21):
        organisation = make_organisation(
            f"Org {number}", number=number, data_contact_email=f"data{number}@org.example"
        )
        admin = make_user(f"admin{number}@org.example")
        Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
        # One person is admin of all twenty: one email per step lists them all.
        Membership.objects.create(organisation=organisation, user=shared, role=MemberRole.ADMIN)


def test_four_sweeps_at_the_same_instant_send_each_email_once(
    require_postgres, twenty_organisations
):
    at = london(2026, 10, 24)
    mail.outbox = []

    results, errors = run_concurrently([lambda: reminders_send_due(at=at)] * 4)

    assert errors == [None] * 4  # no deadlock, no unique violation
    assert sum(result.claimed for result in results) == ReminderClaim.objects.count()
    assert ReminderClaim.objects.count() == 2 * (20 * 2 + 20)  # invitation + 7-day step
    sent = Counter((message.to[0], message.subject) for message in mail.outbox)
    assert sent and max(sent.values()) == 1
    assert ReminderDelivery.objects.filter(state="sent").count() == len(mail.outbox)
    assert not ReminderClaim.objects.filter(delivery=None).exists()


def test_workers_handed_the_same_delivery_send_it_once(require_postgres, twenty_organisations):
    reminders_send_due(at=london(2026, 10, 24))
    # Sent once by the sweep's own (inline) tasks; queue them all again, as a redelivered
    # message would, and let four workers take the same one at once.
    ReminderDelivery.objects.update(state="queued", attempts=0, sent_at=None)
    mail.outbox = []
    delivery = ReminderDelivery.objects.get(recipient="shared@org.example", kind="data_due")

    results, errors = run_concurrently([lambda: delivery_send(delivery_id=delivery.pk)] * 4)

    assert errors == [None] * 4
    assert set(results) <= {"sent", "sending"}  # the losers report the state they found
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 1)
    assert [message.to for message in mail.outbox] == [["shared@org.example"]]
    assert mail.outbox[0].body.count("Org ") >= 20
