"""What seed_demo's steps share, in the demo package so the steps need not import the command."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    sequence: SignatoryNumberSequence | None = None
    counts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    created_anything: bool = False

    def record(self, what: str, created: int, found: int | None = None) -> None:
        self.created_anything = self.created_anything or created > 0
        self.counts[what] = f"{created} created" + (
            f", {found} already there" if found is not None else ""
        )
