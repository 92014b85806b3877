"""Importing submitted data returns from a CSV file: the charter's years before this application.

``submissions_import_plan`` reads the file and the database and says what an import would do
(returns to create, returns that get a new revision with what changed, rows unchanged, cycles
to create) or every error; it writes nothing, so the staff page shows it as a preview.
``submissions_import_apply`` makes the plan again inside one transaction, with the affected
returns locked, and writes it with bulk operations.

A revision means one thing however it was made: the rows written here are the rows
``pledges.services.returns.revision_record`` writes for a form submission (same figures, same
``changes`` from ``figures_changes``, same outlier status), built in bulk because 50,000 returns
one ``revision_record`` at a time would cost several queries each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import psycopg
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.template.defaultfilters import pluralize
from django.utils import timezone

from charter.csv_import import RowError, RowParser, decode_csv, duplicates, read_csv
from pledges import returns_rules as rules
from pledges.models import (
    CycleEvent,
    CycleEventKind,
    CycleStatus,
    DataReturn,
    OutlierStatus,
    ReportingCycle,
    ReturnQuery,
    ReturnRevision,
    ReturnStatus,
    RevisionSource,
)
from pledges.models.cycles import default_window
from pledges.models.returns import FIGURE_FIELDS
from pledges.services.returns import figure_label, figures_changes
from signatories.models import Organisation

COLUMNS = rules.CSV_COLUMNS
# The optional lenses: a number, or empty for "not collected".
OPTIONAL_COLUMNS = rules.LENSES
# The figures a file carries; a return's other figures (job families, practices) are kept
# from its latest revision, so importing headcounts does not wipe what was submitted online.
IMPORTED_FIGURES = (
    "snapshot_date",
    *COLUMNS[3:],
    "ethnicity_collected",
    *(name for lens in rules.LENSES for name in (f"{lens}_collected", lens)),
)
# The earliest year an import accepts: the charter began in 2017.
FIRST_YEAR = 2015
BATCH_SIZE = 1000


class ImportRefused(Exception):
    """The import cannot be written: its errors, or a preview that is no longer true."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass
class PlannedReturn:
    """One row that writes: a new return (``data_return`` unsaved) or a new revision of one."""

    row: int
    organisation: Organisation
    year: int
    figures: dict
    warnings: list[dict]
    data_return: DataReturn | None = None  # the existing return, when there is one
    changes: list[dict] = field(default_factory=list)
    revision_number: int = 1
    is_new: bool = True  # the return's first submission (none yet, or only a draft)


@dataclass
class ImportPlan:
    returns: list[PlannedReturn] = field(default_factory=list)
    unchanged: int = 0
    new_cycles: list[int] = field(default_factory=list)  # years that get a closed cycle
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> list[PlannedReturn]:
        return [planned for planned in self.returns if planned.is_new]

    @property
    def revisions(self) -> list[PlannedReturn]:
        return [planned for planned in self.returns if not planned.is_new]

    @property
    def with_warnings(self) -> int:
        return sum(1 for planned in self.returns if planned.warnings)

    def summary(self) -> str:
        created, cycles = len(self.creates), len(self.new_cycles)
        return (
            f"{created} return{pluralize(created)} created, {len(self.revisions)} revised, "
            f"{self.unchanged} unchanged, {self.with_warnings} with warnings sent to the "
            f"outlier queue, {cycles} cycle{pluralize(cycles)} created"
        )

    def fingerprint(self) -> str:
        """What the plan would write, hashed: equal fingerprints mean the same import."""
        payload = {
            "returns": [
                [
                    p.organisation.pk,
                    p.year,
                    p.data_return.pk if p.data_return else None,
                    p.revision_number,
                    {name: rules_json(value) for name, value in p.figures.items()},
                ]
                for p in self.returns
            ],
            "unchanged": self.unchanged,
            "new_cycles": self.new_cycles,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def rules_json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


# A return with nothing given yet (as a new DataReturn has), the base of a first import.
EMPTY_FIGURES = {
    name: (name == "ethnicity_collected") if name.endswith("_collected") else None
    for name in FIGURE_FIELDS
}


@dataclass
class _Row:
    row: int
    number: int
    year: int
    figures: dict  # only IMPORTED_FIGURES


def _parse_rows(content: bytes, errors: list[RowError]) -> list[_Row]:
    rows = read_csv(decode_csv(content), required=COLUMNS, optional=OPTIONAL_COLUMNS, errors=errors)
    if rows is None:
        return []
    this_year = timezone.localdate().year
    parsed = []
    for row, values in rows.rows:
        parser = RowParser(row, values, errors)
        number = parser.positive_int("signatory_number")
        year = parser.positive_int("year")
        if year is not None and not FIRST_YEAR <= year <= this_year:
            parser.error("year", f"{year} is not a year between {FIRST_YEAR} and {this_year}.")
        figures: dict = {"snapshot_date": parser.date("snapshot_date")}
        for name in ("total_employees", "tech_total", *rules.GENDER_FIELDS):
            figures[name] = parser.count(name)
        for name in ("senior_total", *rules.SENIOR_PARTS):
            figures[name] = parser.count(name)
        # An empty ethnicity triple is "we did not collect ethnicity"; one or two empty is a
        # mistake that figures_errors names.
        for name in rules.ETHNICITY_FIELDS:
            figures[name] = parser.count(name, required=False)
        figures["ethnicity_collected"] = any(values.get(name) for name in rules.ETHNICITY_FIELDS)
        for lens in rules.LENSES:
            figures[lens] = parser.count(lens, required=False)
            figures[f"{lens}_collected"] = figures[lens] is not None
        if parser.ok:
            parsed.append(_Row(row, number, year, figures))
    for (number, year), dup_rows in duplicates(
        (row, (values.get("signatory_number"), values.get("year"))) for row, values in rows.rows
    ).items():
        if number and year:
            for row in dup_rows[1:]:
                errors.append(
                    RowError(
                        row,
                        "signatory_number",
                        f"Signatory {number} already has a {year} return on row {dup_rows[0]}.",
                    )
                )
    return parsed


def _column_of(problem: rules.Problem) -> tuple[str, str]:
    """The CSV column a rule is about, and the message; a figure the file does not carry (a
    job family kept from the latest revision) is named in the message instead."""
    if problem.field in COLUMNS or problem.field in OPTIONAL_COLUMNS:
        return problem.field, problem.message
    return "", f"{figure_label(problem.field)} (kept from the latest revision): {problem.message}"


def _latest_revisions(organisation_ids: list[int]) -> dict[tuple[int, int], dict]:
    """(organisation id, year) → figures of that return's latest, not erased, revision."""
    fields = ("data_return__organisation_id", "data_return__cycle__year", *FIGURE_FIELDS)
    latest = {}
    for values in (
        ReturnRevision.objects.filter(
            data_return__organisation_id__in=organisation_ids,
            number=F("data_return__revision_count"),
            erased_at__isnull=True,
        )
        .values_list(*fields)
        .iterator(chunk_size=5000)
    ):
        latest[(values[0], values[1])] = dict(zip(FIGURE_FIELDS, values[2:], strict=True))
    return latest


def submissions_import_plan(content: bytes) -> ImportPlan:
    """What importing ``content`` would do, reading the database in a fixed number of queries.

    Raises ImportFileError when the file cannot be read.
    """
    plan = ImportPlan()
    parsed = _parse_rows(content, plan.errors)
    numbers = {r.number for r in parsed}
    organisations = {
        o.signatory_number: o
        for o in Organisation.objects.filter(signatory_number__in=numbers).only(
            "id", "signatory_number", "public_name", "size_band", "slug"
        )
    }
    years = {r.year for r in parsed}
    cycles = {c.year: c for c in ReportingCycle.objects.filter(year__in=years)}
    existing_returns = (
        DataReturn.objects.filter(cycle__year__in=years, organisation__signatory_number__in=numbers)
        .select_related("cycle")
        .only(
            "id",
            "cycle__year",
            "organisation_id",
            "status",
            "version",
            "revision_count",
            "first_submitted_at",
            "figures_erased_at",
            "retention",
        )
    )
    returns = {(r.organisation_id, r.cycle.year): r for r in existing_returns}
    submitted = _latest_revisions([o.pk for o in organisations.values()])

    # Each organisation's figures by year, the file's rows over the database's, so a warning
    # compares a row with the previous year even when both years are in the same file.
    by_year: dict[int, dict[int, dict]] = {}
    for (organisation_id, year), figures in submitted.items():
        by_year.setdefault(organisation_id, {})[year] = figures
    planned_rows = []
    for r in parsed:
        organisation = organisations.get(r.number)
        if organisation is None:
            plan.errors.append(
                RowError(r.row, "signatory_number", f"No signatory has the number {r.number}.")
            )
            continue
        data_return = returns.get((organisation.pk, r.year))
        if data_return is not None and data_return.figures_erased_at is not None:
            plan.errors.append(
                RowError(
                    r.row,
                    "year",
                    f"The organisation's {r.year} figures were erased at its request: they "
                    "cannot be imported again.",
                )
            )
            continue
        base = submitted.get((organisation.pk, r.year)) or EMPTY_FIGURES
        figures = {**base, **r.figures}
        cycle = cycles.get(r.year)
        starts_on, ends_on = (
            (cycle.window_starts_on, cycle.window_ends_on) if cycle else default_window(r.year)
        )
        problems = rules.figures_errors(figures, window_starts_on=starts_on, window_ends_on=ends_on)
        for problem in problems:
            plan.errors.append(RowError(r.row, *_column_of(problem)))
        if problems:
            continue
        by_year.setdefault(organisation.pk, {})[r.year] = figures
        planned_rows.append((r, organisation, data_return, base, figures))

    for r, organisation, data_return, base, figures in planned_rows:
        revised = data_return is not None and data_return.revision_count > 0
        if revised and submitted.get((organisation.pk, r.year)) == figures:
            plan.unchanged += 1
            continue
        earlier = [year for year in by_year.get(organisation.pk, {}) if year < r.year]
        previous = by_year[organisation.pk][max(earlier)] if earlier else None
        warnings = rules.figures_warnings(
            figures, previous=previous, size_band=organisation.size_band
        )
        plan.returns.append(
            PlannedReturn(
                row=r.row,
                organisation=organisation,
                year=r.year,
                figures=figures,
                warnings=[
                    {"field": w.field, "code": w.code, "message": w.message, "note": ""}
                    for w in warnings
                ],
                data_return=data_return,
                changes=figures_changes(base, figures) if revised else [],
                revision_number=(data_return.revision_count + 1) if data_return else 1,
                is_new=not revised,
            )
        )
    plan.new_cycles = sorted(years - set(cycles)) if not plan.errors else []
    plan.errors.sort()
    if plan.errors:
        plan.returns, plan.unchanged = [], 0
    return plan


def _returns_lock(plan: ImportPlan) -> None:
    """Lock the existing returns the plan revises, and refuse if one moved since it was read.

    Only those rows: locking the unchanged ones too would write a lock on each of 50,000 rows
    for nothing. A form submission in between would have taken the revision number the plan
    means to use (the unique constraint would stop it, less clearly); new returns are guarded
    by the one-return-per-cycle constraint.
    """
    expected = {p.data_return.pk: p.revision_number - 1 for p in plan.returns if p.data_return}
    if not expected:
        return
    current = dict(
        DataReturn.objects.select_for_update()
        .filter(pk__in=list(expected))
        .values_list("pk", "revision_count")
    )
    if current != expected:
        raise ImportRefused(
            "Some of these returns were submitted or changed while the import was checked. "
            "Nothing was imported: run the import again."
        )


def _cycles_create(years: list[int], *, by, now: dt.datetime) -> None:
    """A closed cycle with the default dates for each year the file has and the site has not."""
    created = ReportingCycle.objects.bulk_create(
        ReportingCycle(
            year=year,
            status=CycleStatus.CLOSED,
            window_starts_on=default_window(year)[0],
            window_ends_on=default_window(year)[1],
            opens_on=dt.date(year, 10, 1),
            closes_on=dt.date(year, 10, 31),
            created_by=by,
            opened_at=now,
            closed_at=now,
        )
        for year in years
    )
    CycleEvent.objects.bulk_create(
        CycleEvent(
            cycle=cycle,
            kind=CycleEventKind.CREATED,
            by=by,
            reason="Created closed, with the default dates, by an import of past returns.",
            details={"source": "import"},
        )
        for cycle in created
    )


def submissions_import_apply(
    content: bytes, *, by=None, expected_fingerprint: str | None = None
) -> ImportPlan:
    """Write the import, all or nothing, or raise ImportRefused and write nothing.

    ``by`` is the staff member of the upload page (None from the command line).
    """
    try:
        return _apply(content, by=by, expected_fingerprint=expected_fingerprint)
    except (IntegrityError, psycopg.IntegrityError) as error:
        # Another import, or a first submission, created one of these returns or cycles
        # between the plan and the write, and a unique constraint refused the second one.
        # (COPY goes to psycopg directly, so its errors are psycopg's, not Django's.)
        raise ImportRefused(
            "Some of these returns or cycles were created by someone else while the import "
            "ran, so nothing was imported: run it again to import what is still missing."
        ) from error


def _apply(content: bytes, *, by, expected_fingerprint: str | None) -> ImportPlan:
    with transaction.atomic():
        plan = submissions_import_plan(content)
        if plan.errors:
            raise ImportRefused(f"{len(plan.errors)} errors: nothing was imported.", plan.errors)
        _returns_lock(plan)
        if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
            raise ImportRefused(
                "The returns changed since the preview was made, so it is no longer what this "
                "import would do. Nothing was imported: upload the file again to see a new "
                "preview."
            )
        now = timezone.now()
        if plan.new_cycles:
            _cycles_create(plan.new_cycles, by=by, now=now)
        cycles = {
            c.year: c
            for c in ReportingCycle.objects.filter(year__in={p.year for p in plan.returns})
        }
        _returns_write(plan, cycles=cycles, by=by, now=now)
        CycleEvent.objects.bulk_create(
            CycleEvent(
                cycle=cycle,
                kind=CycleEventKind.IMPORTED,
                by=by,
                details={
                    "created": sum(1 for p in plan.creates if p.year == year),
                    "revised": sum(1 for p in plan.revisions if p.year == year),
                    "with_warnings": sum(1 for p in plan.returns if p.year == year and p.warnings),
                },
            )
            for year, cycle in sorted(cycles.items())
        )
    return plan


def _returns_write(plan: ImportPlan, *, cycles: dict, by, now: dt.datetime) -> None:
    """The DataReturn and ReturnRevision rows ``revision_record`` would write, in bulk.

    New returns are inserted submitted; every revision is inserted; then one UPDATE copies each
    new revision onto its existing return (a Django bulk_update would be a CASE over every row
    for each of sixty columns). Imported returns count as submitted on time: is_late is False.
    Rows are plain dicts of column values: at 50,000 returns, building model instances costs
    more than writing them.
    """
    by_id = by.pk if by else None
    new_returns = [
        {
            **planned.figures,
            "cycle_id": cycles[planned.year].pk,
            "organisation_id": planned.organisation.pk,
            "status": ReturnStatus.SUBMITTED,
            "revision_count": 1,
            "first_submitted_at": now,
            "submitted_at": now,
            "submitted_by_id": by_id,
            "is_late": False,
            "warnings": planned.warnings,
            "outlier_status": OutlierStatus.WAITING if planned.warnings else OutlierStatus.NONE,
            "updated_by_id": by_id,
        }
        for planned in plan.returns
        if planned.data_return is None
    ]
    _insert(DataReturn, new_returns, now=now)
    # The new returns' ids, and the retention choice a revision records.
    returns = {
        (cycle_id, organisation_id): (pk, retention)
        for pk, cycle_id, organisation_id, retention in DataReturn.objects.filter(
            cycle__in=list(cycles.values()),
            organisation_id__in={p.organisation.pk for p in plan.returns},
        ).values_list("pk", "cycle_id", "organisation_id", "retention")
    }
    revisions = []
    for planned in plan.returns:
        data_return_id, retention = returns[(cycles[planned.year].pk, planned.organisation.pk)]
        revisions.append(
            {
                **planned.figures,
                "data_return_id": data_return_id,
                "number": planned.revision_number,
                "submitted_by_id": by_id,
                "submitted_at": now,
                "source": RevisionSource.IMPORT,
                "is_late": False,
                "retention": retention,
                "warnings": planned.warnings,
                "changes": planned.changes,
            }
        )
    _insert(ReturnRevision, revisions, now=now)
    if len(new_returns) < len(plan.returns):
        _existing_returns_update(by=by, now=now)
        # A new revision answers any open staff query, as an amendment online does.
        ReturnQuery.objects.filter(
            data_return__in=[p.data_return.pk for p in plan.revisions],
            answered_at__isnull=True,
        ).update(
            answered_at=now,
            answered_by=by,
            answered_by_revision=Subquery(
                DataReturn.objects.filter(pk=OuterRef("data_return_id")).values("revision_count")[
                    :1
                ]
            ),
        )


def _insert(model, rows: list[dict], *, now: dt.datetime) -> None:
    """Insert rows given as {attname: value}, every other column its default: PostgreSQL's
    COPY, else bulk_create.

    At 50,000 returns of sixty columns, bulk_create spends most of its time preparing three
    million parameters one by one; COPY streams the plain values in one statement per table.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**row) for row in rows), batch_size=BATCH_SIZE)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        # auto_now(_add) is applied by save() and bulk_create's pre_save, which COPY skips.
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        defaults[f.attname] = now if stamped else f.get_default()
    converters = [(f.attname, _copy_converter(f)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        lines = []
        for row in rows:
            values = {**defaults, **row}
            lines.append("\t".join([convert(values[name]) for name, convert in converters]))
            if len(lines) == BATCH_SIZE:
                copy.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")


# COPY's text format: NULL is \N; a backslash, tab, newline or carriage return is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_converter(field):
    """How one column's values are written in COPY's text format, chosen once per column:
    psycopg's write_row looks the type up for every value, an order of magnitude slower."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return lambda value: json.dumps(value).translate(_COPY_ESCAPES)
    if kind == "BooleanField":
        return lambda value: _COPY_NULL if value is None else ("t" if value else "f")
    if kind.endswith("IntegerField") or kind == "ForeignKey":
        return lambda value: _COPY_NULL if value is None else str(int(value))
    if kind in ("DateField", "DateTimeField"):  # isoformat keeps a datetime's time zone
        return lambda value: _COPY_NULL if value is None else value.isoformat()
    return lambda value: _COPY_NULL if value is None else str(value).translate(_COPY_ESCAPES)


def _existing_returns_update(*, by, now: dt.datetime) -> None:
    """Make each just-inserted revision its return's current submission, in one statement.

    The revisions inserted are the only ones numbered ``revision_count + 1`` (a return's
    revision_count is always its highest number, and the returns are locked), so the join
    finds exactly them, whatever the number of rows.
    """
    quote = connection.ops.quote_name
    returns_table = quote(DataReturn._meta.db_table)
    revisions_table = quote(ReturnRevision._meta.db_table)
    figures = ", ".join(f"{quote(name)} = rev.{quote(name)}" for name in FIGURE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {returns_table} SET {figures},
                status = %s,
                version = {returns_table}.version + 1,
                revision_count = rev.number,
                submitted_at = %s,
                submitted_by_id = %s,
                is_late = CASE WHEN {returns_table}.first_submitted_at IS NULL THEN FALSE
                               ELSE {returns_table}.is_late END,
                first_submitted_at = COALESCE({returns_table}.first_submitted_at, %s),
                warnings = rev.warnings,
                outlier_status = CASE WHEN CAST(rev.warnings AS text) = '[]' THEN %s ELSE %s END,
                updated_by_id = %s,
                updated_at = %s
            FROM {revisions_table} AS rev
            WHERE rev.data_return_id = {returns_table}.id
              AND rev.number = {returns_table}.revision_count + 1
            """,
            [
                ReturnStatus.SUBMITTED,
                now,
                by.pk if by else None,
                now,
                OutlierStatus.NONE,
                OutlierStatus.WAITING,
                by.pk if by else None,
                now,
            ],
        )
