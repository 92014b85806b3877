"""seed_demo's workspace step fills progress, actions, practices and teams, once."""

from __future__ import annotations

import io

from django.core.management import call_command

from pledges.models import PledgeAction, PledgeCommitment, Practice
from signatories.models import Invitation, Organisation


def seed(organisations: int) -> str:
    out = io.StringIO()
    call_command("seed_demo", organisations=organisations, seed=1, stdout=out)
    return out.getvalue()


def test_it_fills_workspaces_once(db):
    seed(60)

    statuses = set(PledgeCommitment.objects.values_list("progress_status", flat=True))
    assert statuses == {"not_started", "in_progress", "embedded"}
    assert PledgeAction.objects.count() > 60
    assert Practice.objects.filter(status="published").exists()
    assert Invitation.objects.count() == 6  # two for each demo admin's organisation
    assert not Organisation.objects.filter(data_contact_email="").exists()
    summaries = PledgeCommitment.objects.filter(progress_status="embedded", pledge__code="plan")
    assert summaries.exclude(progress_summary="").count() == summaries.count() > 0
    counts = (PledgeAction.objects.count(), Practice.objects.count(), Invitation.objects.count())

    output = seed(60)

    assert "nothing created" in output
    assert (
        PledgeAction.objects.count(),
        Practice.objects.count(),
        Invitation.objects.count(),
    ) == counts
