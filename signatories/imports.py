"""Importing signatories from a CSV file: the charter's history before this application.

``signatories_import_plan`` reads the file and the database and says what an import would do
(rows to create, rows to change with before → after, rows unchanged) or every error; it writes
nothing, so the staff page shows it as a preview. ``signatories_import_apply`` makes the plan
again inside one transaction, with the numbering row locked, and writes it with bulk
operations; given the preview's fingerprint it refuses when the plan is no longer the one that
was shown (the file or the database changed in between).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from charter.csv_import import RowError, RowParser, decode_csv, duplicates, read_csv
from signatories.choices import OrganisationStatus, OrganisationType, Region, Sector, SizeBand
from signatories.companies_house import companies_house_number_normalise
from signatories.domains import website_domain
from signatories.models import Organisation, SignatoryNumberSequence
from signatories.slugs import unique_slug

COLUMNS = (
    "signatory_number",
    "name",
    "website",
    "companies_house_number",
    "organisation_type",
    "sector",
    "size_band",
    "region",
    "signed_on",
)
# The organisation's fields an import sets, in the order a preview lists the changes.
FIELDS = (
    "legal_name",
    "public_name",
    "website",
    "companies_house_number",
    "organisation_type",
    "sector",
    "size_band",
    "region",
    "signed_on",
)
MAX_NAME = Organisation._meta.get_field("public_name").max_length
MAX_WEBSITE = Organisation._meta.get_field("website").max_length


class ImportRefused(Exception):
    """The import cannot be written: its errors, or a preview that is no longer true."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass
class Change:
    organisation: Organisation
    row: int
    changes: dict[str, tuple[object, object]]  # field → (before, after)


@dataclass
class ImportPlan:
    creates: list[tuple[int, Organisation]] = field(default_factory=list)  # (row, unsaved)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{len(self.creates)} created, {len(self.updates)} changed, {self.unchanged} unchanged"
        )

    def fingerprint(self) -> str:
        """What the plan would write, hashed: equal fingerprints mean the same import."""
        payload = {
            "creates": [
                [o.signatory_number, o.slug, *(str(getattr(o, f)) for f in FIELDS)]
                for _, o in self.creates
            ],
            "updates": [
                [c.organisation.pk, {k: [str(a), str(b)] for k, (a, b) in c.changes.items()}]
                for c in self.updates
            ],
            "unchanged": self.unchanged,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _parse_rows(content: bytes, errors: list[RowError]) -> list[tuple[int, dict]]:
    text = decode_csv(content)
    rows = read_csv(text, required=COLUMNS, errors=errors)
    if rows is None:
        return []
    parsed = []
    today = timezone.localdate()
    for row, values in rows.rows:
        parser = RowParser(row, values, errors)
        number = parser.positive_int("signatory_number")
        name = parser.text("name", max_length=MAX_NAME)
        website = parser.text("website", max_length=MAX_WEBSITE)
        if website:
            try:
                # The form field the application uses: adds https:// when it is missing.
                website = forms.URLField(assume_scheme="https").clean(website)
            except forms.ValidationError:
                parser.error("website", f"“{website}” is not a web address.")
        try:
            ch_number = companies_house_number_normalise(values.get("companies_house_number", ""))
        except forms.ValidationError as error:
            parser.error("companies_house_number", " ".join(error.messages))
            ch_number = ""
        data = {
            "legal_name": name,
            "public_name": name,
            "website": website,
            "companies_house_number": ch_number,
            "organisation_type": parser.choice("organisation_type", OrganisationType),
            "sector": parser.choice("sector", Sector),
            "size_band": parser.choice("size_band", SizeBand),
            "region": parser.choice("region", Region),
            "signed_on": parser.date("signed_on"),
        }
        if data["signed_on"] and data["signed_on"] > today:
            parser.error("signed_on", f"{data['signed_on']:%Y-%m-%d} is in the future.")
        if parser.ok:
            parsed.append((row, number, data))
    for number, dup_rows in duplicates(
        (row, values.get("signatory_number")) for row, values in rows.rows
    ).items():
        if number:
            for row in dup_rows[1:]:
                errors.append(
                    RowError(
                        row, "signatory_number", f"Number {number} is also on row {dup_rows[0]}."
                    )
                )
    for key, dup_rows in duplicates(
        (row, slugify(values.get("name", ""))) for row, values in rows.rows
    ).items():
        if key:
            for row in dup_rows[1:]:
                errors.append(
                    RowError(
                        row,
                        "name",
                        f"The same name (as a web address: {key}) is on row {dup_rows[0]}.",
                    )
                )
    return parsed


def signatories_import_plan(content: bytes) -> ImportPlan:
    """What importing ``content`` would do, reading the database in a fixed number of queries.

    Raises ImportFileError when the file cannot be read at all.
    """
    plan = ImportPlan()
    parsed = _parse_rows(content, plan.errors)
    numbers = [number for _, number, _ in parsed]
    existing = {
        o.signatory_number: o for o in Organisation.objects.filter(signatory_number__in=numbers)
    }
    # Every slug and name in one query each: a new organisation's slug must be unique, and a
    # new organisation named like another one is almost always a row with the wrong number.
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    names = {
        name.casefold(): number
        for name, number in Organisation.objects.values_list("public_name", "signatory_number")
    }
    for row, number, data in parsed:
        other = names.get(data["public_name"].casefold())
        if other is not None and other != number:
            plan.errors.append(
                RowError(row, "name", f"Signatory number {other} already has this name.")
            )
            continue
        organisation = existing.get(number)
        if organisation is None:
            slug = unique_slug(data["public_name"], taken=slugs.__contains__)
            slugs.add(slug)
            plan.creates.append(
                (
                    row,
                    Organisation(
                        slug=slug,
                        signatory_number=number,
                        website_domain=website_domain(data["website"]),
                        status=OrganisationStatus.ACTIVE,
                        **data,
                    ),
                )
            )
            continue
        changes = {
            name: (getattr(organisation, name), value)
            for name, value in data.items()
            if getattr(organisation, name) != value
        }
        if changes:
            plan.updates.append(Change(organisation, row, changes))
        else:
            plan.unchanged += 1
    plan.errors.sort()
    if plan.errors:
        plan.creates, plan.updates, plan.unchanged = [], [], 0
    return plan


def signatories_import_apply(
    content: bytes, *, expected_fingerprint: str | None = None
) -> ImportPlan:
    """Write the import, all or nothing, or raise ImportRefused and write nothing."""
    with transaction.atomic():
        # Approvals take numbers under this lock: holding it while the import writes means no
        # approval can hand out a number the import is about to use, or read a stale maximum.
        sequence = SignatoryNumberSequence.objects.select_for_update().get(pk=1)
        plan = signatories_import_plan(content)
        if plan.errors:
            raise ImportRefused(f"{len(plan.errors)} errors: nothing was imported.", plan.errors)
        if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
            raise ImportRefused(
                "The signatories changed since the preview was made, so it is no longer what "
                "this import would do. Nothing was imported: upload the file again to see a new "
                "preview."
            )
        Organisation.objects.bulk_create([o for _, o in plan.creates], batch_size=1000)
        if plan.updates:
            for change in plan.updates:
                for name, (_, after) in change.changes.items():
                    setattr(change.organisation, name, after)
                if "website" in change.changes:
                    change.organisation.website_domain = website_domain(change.organisation.website)
                change.organisation.updated_at = timezone.now()
            Organisation.objects.bulk_update(
                [c.organisation for c in plan.updates],
                [*FIELDS, "website_domain", "updated_at"],
                batch_size=1000,
            )
        highest = max(
            [o.signatory_number for _, o in plan.creates]
            + [c.organisation.signatory_number for c in plan.updates],
            default=0,
        )
        if highest > sequence.last_number:
            # The next approval gets highest + 1: no number is given twice.
            sequence.last_number = highest
            sequence.save(update_fields=["last_number"])
    return plan
