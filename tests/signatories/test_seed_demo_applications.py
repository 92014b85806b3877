"""seed_demo fills the staff queue and the signatories' pledge commitments."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command

from pledges.models import PledgeCommitment
from signatories.choices import ApplicationStatus
from signatories.models import Application, Organisation


def seed(organisations: int = 20) -> None:
    call_command("seed_demo", organisations=organisations, seed=1, stdout=io.StringIO())


def test_it_creates_applications_in_every_state(db):
    seed()

    states = Counter(Application.objects.values_list("status", flat=True))

    assert set(states) == set(ApplicationStatus.values)
    approved = Application.objects.filter(status=ApplicationStatus.APPROVED)
    assert all(application.organisation_id for application in approved)
    for application in Application.objects.exclude(status=ApplicationStatus.DRAFT):
        assert application.events.filter(kind="submitted").exists()
    changes = Application.objects.filter(status=ApplicationStatus.CHANGES_REQUESTED).first()
    assert changes.events.get(kind="changes_requested").message


def test_every_demo_signatory_has_its_five_commitments(db):
    seed()

    per_organisation = Counter(PledgeCommitment.objects.values_list("organisation_id", flat=True))

    assert len(per_organisation) == Organisation.objects.count() == 20
    assert set(per_organisation.values()) == {5}


def test_seeding_twice_adds_no_applications_or_commitments(db):
    seed()
    applications, commitments = Application.objects.count(), PledgeCommitment.objects.count()

    seed()

    assert Application.objects.count() == applications
    assert PledgeCommitment.objects.count() == commitments
