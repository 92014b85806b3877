"""What seed_demo's steps share, in the demo package so the steps need not import the command."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from signatories.demo import organisations as demo
from signatories.models import SignatoryNumberSequence


@dataclass
class Seeding:
    """What the steps share: the generated data, and what each step found and created."""

    organisations: list[demo.DemoOrganisation]
    accounts: list[demo.DemoAccount]
    seed: int = 1
    # Every demo organisation in the database, found or created, by slug.
    organisation_ids: dict[str, int] = field(default_factory=dict)
    created_organisation_slugs: set[str] = field(default_factory=set)
    created_user_emails: set[str] = field(default_factory=set)
    # For each organisation created by this run (by id): when it was approved, and the last
    # moment anyone worked in its workspace (now, or the day it withdrew). Every demo
    # timestamp of the organisation falls between the two; see ``Seeding.moment``.
    timeline: dict[int, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)
    sequence: SignatoryNumberSequence | None = None
    counts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    created_anything: bool = False

    def moment(self, organisation_id: int, *, days_ago: float) -> dt.datetime:
        """``days_ago`` before now, kept inside the organisation's timeline, so steps that
        happen in order (joined, edited, reviewed) stay in order for recent signatories too."""
        approved_at, active_until = self.timeline[organisation_id]
        wanted = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
        return max(approved_at, min(wanted, active_until))

    def record(self, what: str, created: int, found: int | None = None) -> None:
        self.created_anything = self.created_anything or created > 0
        self.counts[what] = f"{created} created" + (
            f", {found} already there" if found is not None else ""
        )
