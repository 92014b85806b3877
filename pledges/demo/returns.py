"""seed_demo's data collection step: five yearly cycles and the organisations' returns in them.

Four closed cycles and the current one, open since some weeks ago and closing some weeks after
the day the command runs, so a demo always has a live deadline. In the closed cycles most
expected organisations reported on time, some late (after a staff reopen, with the reason
they gave), some are missing, a few exempt, and one in fifty missed the last two (so the
compliance page has delisting proposals). The open cycle is partly submitted, partly in draft
and partly not started. Returns with plausibility warnings carry the submitter's notes; those
of the last two cycles wait in the outlier queue (some queried, some answered).

Only active organisations created by this run and signed before a cycle closed get a return
in it, so running the command again adds nothing. The figures come from ``pledges.demo.figures``
(one random stream per organisation, so the first 300 of 10,000 are those of a run of 300),
and every submitted set is checked against ``pledges.returns_rules`` before it is written.
Returns and revisions are written with bulk INSERTs a thousand organisations at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from pledges import returns_rules as rules
from pledges.demo import figures as demo_figures
from pledges.demo.teams import BATCH, batches
from pledges.demo.words import (
    CYCLE_INTRODUCTION,
    EXEMPTION_REASONS,
    LATE_REASONS,
    QUERY_MESSAGES,
    REOPEN_REASONS,
    WARNING_NOTES,
)
from pledges.models import (
    CycleEvent,
    CycleEventKind,
    CycleExemption,
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
from pledges.services.returns import figures_changes
from signatories.choices import MemberRole, OrganisationStatus
from signatories.demo import organisations as demo
from signatories.demo.timestamps import backdate
from signatories.models import Membership

YEARS = 5
# Closed cycles ran from 1 October to 15 November of their year.
CLOSED_OPENS = (10, 1)
CLOSED_CLOSES = (11, 15)
# The open cycle: opened three weeks before the seed ran, closes five weeks after it.
OPENED_DAYS_AGO = 21
CLOSES_IN_DAYS = 35
# A late return: staff reopened it a few days after the closing date, for three weeks.
REOPENED_AFTER_DAYS = 3
REOPENED_FOR_DAYS = 21

# What happened to an organisation's return in a cycle (draws from its own stream).
EXEMPT, MISSING, LATE, ON_TIME, DRAFT, NOT_STARTED = (
    "exempt",
    "missing",
    "late",
    "on_time",
    "draft",
    "not_started",
)
CLOSED_FATES = ((0.02, EXEMPT), (0.08, MISSING), (0.14, LATE), (1.0, ON_TIME))
OPEN_FATES = ((0.01, EXEMPT), (0.46, ON_TIME), (0.74, DRAFT), (1.0, NOT_STARTED))
AMENDED_SHARE = 0.08
OUTSIDE_BAND_SHARE = 0.3  # of those near the top of their band
# One organisation in this many missed the last two closed cycles: delisting proposed.
CHRONIC_EVERY = 50

User = get_user_model()


def current_year(today: dt.date) -> int:
    """The open cycle's year: this year once its snapshot window has run a fortnight (so
    headcount dates are in the past), else last year's cycle is still the one open."""
    return today.year if today >= dt.date(today.year, 3, 15) else today.year - 1


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=demo.UK_TIME)


@dataclass
class Written:
    """Rows of one batch, and the totals the step reports."""

    # Each row is a dict of column values (field attnames), written by ``insert_rows``.
    returns: list[dict] = field(default_factory=list)
    # Per return (same order): its revisions, which get the return's id when it is written.
    revisions: list[list[dict]] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    exemptions: list[dict] = field(default_factory=list)
    queries: list[tuple[int, dict]] = field(default_factory=list)  # (return index, query)
    # Per return: when it was started and when it last changed (created_at, updated_at).
    moments: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def seed_returns(seeding) -> None:
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    staff_id = User.objects.filter(email=demo.STAFF_EMAIL).values_list("pk", flat=True).first()
    cycles, created, cycle_events = _seed_cycles(today=today, now=now, staff_id=staff_id)
    seeding.record("reporting cycles", created, found=len(cycles) - created)
    planned = {
        seeding.organisation_ids[organisation.slug]: (place, organisation)
        for place, organisation in enumerate(seeding.organisations, start=1)
        if organisation.slug in seeding.created_organisation_slugs
        and organisation.status == OrganisationStatus.ACTIVE
    }
    totals: dict[str, int] = defaultdict(int)
    for batch in batches(sorted(planned)):
        members = _members(batch)
        written = Written()
        for pk in batch:
            place, organisation = planned[pk]
            _organisation_returns(
                written,
                pk=pk,
                place=place,
                organisation=organisation,
                cycles=cycles,
                seed=seeding.seed,
                approved_at=seeding.timeline[pk][0],
                now=now,
                staff_id=staff_id,
                members=members.get(pk, []),
            )
        _write(written)
        for what, count in written.totals.items():
            totals[what] += count
    for what in ("data returns", "return revisions", "cycle exemptions", "return queries"):
        seeding.record(what, totals[what])
    seeding.record("cycle events", totals["cycle events"] + cycle_events)


# --- Cycles ---------------------------------------------------------------------------------


def _seed_cycles(
    *, today: dt.date, now: dt.datetime, staff_id: int | None
) -> tuple[list[ReportingCycle], int, int]:
    """The five cycles, oldest first, found by year or created with their staff record; how
    many were created, and how many events recorded it."""
    last = current_year(today)
    years = list(range(last - YEARS + 1, last + 1))
    found = {cycle.year: cycle for cycle in ReportingCycle.objects.filter(year__in=years)}
    new = []
    for year in years:
        if year in found:
            continue
        starts, ends = default_window(year)
        if year == last:
            opens_on = today - dt.timedelta(days=OPENED_DAYS_AGO)
            closes_on = today + dt.timedelta(days=CLOSES_IN_DAYS)
            status = CycleStatus.OPEN
        else:
            opens_on, closes_on = dt.date(year, *CLOSED_OPENS), dt.date(year, *CLOSED_CLOSES)
            status = CycleStatus.CLOSED
        new.append(
            ReportingCycle(
                year=year,
                status=status,
                window_starts_on=starts,
                window_ends_on=ends,
                opens_on=opens_on,
                closes_on=closes_on,
                introduction=CYCLE_INTRODUCTION.format(starts=starts, ends=ends),
                created_by_id=staff_id,
                opened_at=at(opens_on),
                closed_at=at(closes_on + dt.timedelta(days=1)) if status == "closed" else None,
            )
        )
    ReportingCycle.objects.bulk_create(new)
    new = list(ReportingCycle.objects.filter(year__in=[cycle.year for cycle in new]))
    # created_at is auto_now_add: staff set each cycle up a fortnight before it opened.
    backdate(
        ReportingCycle,
        "created_at",
        {cycle.pk: at(cycle.opens_on - dt.timedelta(days=14)) for cycle in new},
    )
    events = []
    for cycle in new:
        story = [
            (CycleEventKind.CREATED, at(cycle.opens_on - dt.timedelta(days=14))),
            (CycleEventKind.OPENED, cycle.opened_at),
        ]
        if cycle.closed_at:
            story.append((CycleEventKind.CLOSED, cycle.closed_at))
        events += [
            {"cycle_id": cycle.pk, "kind": kind, "by_id": staff_id, "at": moment}
            for kind, moment in story
        ]
    insert_rows(CycleEvent, events)
    cycles = sorted([*found.values(), *new], key=lambda cycle: cycle.year)
    # A cycle staff are still drafting takes no returns.
    taking_returns = [cycle for cycle in cycles if cycle.status != CycleStatus.DRAFT]
    return taking_returns, len(new), len(events)


# --- One organisation's returns --------------------------------------------------------------


def _fate(draw: float, fates) -> str:
    return next(fate for limit, fate in fates if draw < limit)


def _organisation_returns(
    written: Written,
    *,
    pk: int,
    place: int,
    organisation,
    cycles: list[ReportingCycle],
    seed: int,
    approved_at: dt.datetime,
    now: dt.datetime,
    staff_id: int | None,
    members: list[tuple[int, dt.datetime]],
) -> None:
    rng = random.Random(f"returns-{seed}-{place}")
    profile = demo_figures.profile(
        rng, size_band=organisation.size_band, sector=organisation.sector
    )
    previous: dict | None = None
    closed = [cycle for cycle in cycles if cycle.status != CycleStatus.OPEN]
    for years_in, cycle in enumerate(cycles):
        fate_draw, amend_draw, band_draw = rng.random(), rng.random(), rng.random()
        is_open = cycle.status == CycleStatus.OPEN
        if organisation.signed_on > cycle.closes_on:
            continue  # not a signatory yet: not expected to report
        fate = _fate(fate_draw, OPEN_FATES if is_open else CLOSED_FATES)
        if not is_open and place % CHRONIC_EVERY == 20 and cycle in closed[-2:]:
            fate = MISSING
        opens_at = at(cycle.opens_on)
        start = max(opens_at, approved_at + dt.timedelta(minutes=30))
        end = min(now - dt.timedelta(hours=2), at(cycle.closes_on, 17))
        if start >= end and fate != EXEMPT:
            continue  # signed too recently to have started
        if fate == EXEMPT:
            _exempt(written, cycle=cycle, pk=pk, place=place, moment=min(now, start), by=staff_id)
            continue
        if fate in (MISSING, NOT_STARTED):
            continue
        latest_snapshot = min(cycle.window_ends_on, now.date() - dt.timedelta(days=1))
        figures = demo_figures.year_figures(
            rng,
            profile,
            years_in=years_in,
            snapshot=demo_figures.snapshot_date(profile, year=cycle.year, latest=latest_snapshot),
            outside_band=band_draw < OUTSIDE_BAND_SHARE,
        )
        figures = demo_figures.unlike(figures, previous, profile, rng)
        if fate == DRAFT:
            _draft(
                written,
                cycle=cycle,
                pk=pk,
                place=place,
                figures=figures,
                start=start,
                end=end,
                members=members,
                profile=profile,
            )
            continue
        errors = rules.figures_errors(
            figures, window_starts_on=cycle.window_starts_on, window_ends_on=cycle.window_ends_on
        )
        assert not errors, f"demo figures break a rule: {errors} in {figures}"
        _submitted(
            written,
            cycle=cycle,
            pk=pk,
            place=place,
            figures=figures,
            previous=previous,
            size_band=organisation.size_band,
            late=fate == LATE,
            amended=amend_draw < AMENDED_SHARE,
            start=start,
            end=end,
            now=now,
            staff_id=staff_id,
            members=members,
            profile=profile,
            last_closed=bool(closed) and cycle == closed[-1],
        )
        previous = figures


def _exempt(written: Written, *, cycle, pk: int, place: int, moment: dt.datetime, by) -> None:
    reason = EXEMPTION_REASONS[place % len(EXEMPTION_REASONS)]
    written.exemptions.append(
        {"cycle_id": cycle.pk, "organisation_id": pk, "reason": reason, "by_id": by, "at": moment}
    )
    written.events.append(
        {
            "cycle_id": cycle.pk,
            "organisation_id": pk,
            "kind": CycleEventKind.EXEMPTED,
            "by_id": by,
            "at": moment,
            "reason": reason,
            "details": {},
        }
    )
    written.totals["cycle exemptions"] += 1
    written.totals["cycle events"] += 1


def _member_at(members: list[tuple[int, dt.datetime]], moment: dt.datetime) -> int | None:
    """The first member (admins first) who had joined by ``moment``: who did it then."""
    return next((user_id for user_id, joined in members if joined <= moment), None)


def _draft(written: Written, *, cycle, pk, place, figures, start, end, members, profile) -> None:
    """A return started but not submitted: headcount and gender in, the rest to do."""
    kept = {"snapshot_date", "total_employees", "tech_total", *rules.GENDER_FIELDS}
    if place % 2:
        kept |= set(rules.ETHNICITY_FIELDS)
    draft = {
        name: value if name in kept else None
        for name, value in figures.items()
        if not name.endswith("_collected")
    }
    draft["ethnicity_collected"] = figures["ethnicity_collected"]
    saved = start + (end - start) / 2
    written.returns.append(
        dict(
            cycle_id=cycle.pk,
            organisation_id=pk,
            status=ReturnStatus.DRAFT,
            version=2,
            retention=profile.retention,
            updated_by_id=_member_at(members, saved),
            **draft,
        )
    )
    written.revisions.append([])
    written.moments.append((start, saved))
    written.totals["data returns"] += 1


def _warning_dicts(warnings: Iterable[rules.Problem], place: int) -> list[dict]:
    return [
        {
            "field": warning.field,
            "code": warning.code,
            "message": warning.message,
            "note": WARNING_NOTES[warning.code][place % len(WARNING_NOTES[warning.code])],
        }
        for warning in warnings
    ]


def _submitted(
    written: Written,
    *,
    cycle: ReportingCycle,
    pk: int,
    place: int,
    figures: dict,
    previous: dict | None,
    size_band: str,
    late: bool,
    amended: bool,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    staff_id: int | None,
    members: list[tuple[int, dt.datetime]],
    profile,
    last_closed: bool,
) -> None:
    """A submitted return with its revisions (and, late, the staff reopen it came through)."""
    reopened_until, reopen_reason, late_reason = None, "", ""
    if late:
        reopened_at = at(cycle.closes_on + dt.timedelta(days=REOPENED_AFTER_DAYS))
        reopened_until = cycle.closes_on + dt.timedelta(
            days=REOPENED_AFTER_DAYS + REOPENED_FOR_DAYS
        )
        reopen_reason = REOPEN_REASONS[place % len(REOPEN_REASONS)]
        late_reason = LATE_REASONS[place % len(LATE_REASONS)]
        written.events.append(
            {
                "cycle_id": cycle.pk,
                "organisation_id": pk,
                "kind": CycleEventKind.REOPENED,
                "by_id": staff_id,
                "at": reopened_at,
                "reason": reopen_reason,
                "details": {"reopened_until": reopened_until.isoformat()},
            }
        )
        written.totals["cycle events"] += 1
        first_at = reopened_at + dt.timedelta(days=1 + place % 10, hours=2)
        last_day = min(now, at(reopened_until, 17))
    else:
        first_at = start + (end - start) * (0.2 + 0.6 * (place % 7) / 6)
        last_day = end
    first_at = first_at.replace(microsecond=0)
    amended_at = first_at + dt.timedelta(days=2 + place % 4)
    first = figures
    if amended and amended_at < last_day:
        first = demo_figures.with_slip(figures)
    submissions = [(first, first_at)]
    if first is not figures:
        submissions.append((figures, amended_at))
    revisions = []
    for number, (submitted, moment) in enumerate(submissions, start=1):
        warnings = rules.figures_warnings(submitted, previous=previous, size_band=size_band)
        by = _member_at(members, moment)
        revisions.append(
            dict(
                number=number,
                submitted_by_id=by,
                submitted_at=moment,
                source=RevisionSource.FORM,
                is_late=late,
                late_reason=late_reason if number == 1 else "",
                retention=profile.retention,
                warnings=_warning_dicts(warnings, place),
                changes=figures_changes(submissions[number - 2][0], submitted)
                if number > 1
                else [],
                **submitted,
            )
        )
    latest = revisions[-1]
    outlier_status, updated_at = OutlierStatus.NONE, latest["submitted_at"]
    index = len(written.returns)
    if latest["warnings"]:
        outlier_status, updated_at = _outlier_review(
            written,
            cycle=cycle,
            pk=pk,
            place=place,
            index=index,
            latest=latest,
            now=now,
            staff_id=staff_id,
            last_closed=last_closed,
        )
    written.returns.append(
        dict(
            cycle_id=cycle.pk,
            organisation_id=pk,
            status=ReturnStatus.SUBMITTED,
            # One draft save, then one more for each revision (as the services count).
            version=2 + len(revisions),
            reopened_until=reopened_until,
            reopen_reason=reopen_reason,
            first_submitted_at=first_at,
            submitted_at=latest["submitted_at"],
            submitted_by_id=latest["submitted_by_id"],
            revision_count=len(revisions),
            is_late=late,
            late_reason=late_reason,
            retention=profile.retention,
            warnings=latest["warnings"],
            outlier_status=outlier_status,
            updated_by_id=latest["submitted_by_id"],
            **figures,
        )
    )
    written.revisions.append(revisions)
    started_at = min(first_at - dt.timedelta(hours=1), start + (first_at - start) / 2)
    written.moments.append((max(started_at, start), updated_at))
    written.totals["data returns"] += 1
    written.totals["return revisions"] += len(revisions)


def _outlier_review(
    written: Written, *, cycle, pk, place, index, latest, now, staff_id, last_closed
) -> tuple[str, dt.datetime]:
    """Where a return with warnings stands in the outlier queue: older cycles were accepted;
    in the last closed cycle some wait, some were queried (and some of those answered); in the
    open cycle they all wait. Returns the status and when the return last changed."""
    submitted_at = latest["submitted_at"]
    if cycle.status == CycleStatus.OPEN:
        return OutlierStatus.WAITING, submitted_at
    # Taken in turn, so even a small demo has one of each.
    choice = 3
    if last_closed:
        choice = written.totals["reviews in turn"] % 4
        written.totals["reviews in turn"] += 1
    if choice == 0:
        return OutlierStatus.WAITING, submitted_at
    acted_at = min(now, submitted_at + dt.timedelta(days=5))
    if choice in (1, 2):
        message = QUERY_MESSAGES[place % len(QUERY_MESSAGES)]
        answered = choice == 2
        answered_at = min(now, acted_at + dt.timedelta(days=3)) if answered else None
        written.queries.append(
            (
                index,
                {
                    "message": message,
                    "asked_by_id": staff_id,
                    "asked_at": acted_at,
                    "answer": latest["warnings"][0]["note"] if answered else "",
                    "answered_by_id": latest["submitted_by_id"] if answered else None,
                    "answered_at": answered_at,
                },
            )
        )
        written.events.append(
            {
                "cycle_id": cycle.pk,
                "organisation_id": pk,
                "kind": CycleEventKind.QUERIED,
                "by_id": staff_id,
                "at": acted_at,
                "reason": message,
                "details": {},
            }
        )
        written.totals["return queries"] += 1
        written.totals["cycle events"] += 1
        if answered:
            return OutlierStatus.ANSWERED, answered_at
        return OutlierStatus.QUERIED, acted_at
    written.events.append(
        {
            "cycle_id": cycle.pk,
            "organisation_id": pk,
            "kind": CycleEventKind.ACCEPTED,
            "by_id": staff_id,
            "at": acted_at,
            "reason": "Explained by the organisation's note.",
            "details": {},
        }
    )
    written.totals["cycle events"] += 1
    return OutlierStatus.ACCEPTED, acted_at


# --- Writing ---------------------------------------------------------------------------------


def _members(organisation_ids: list[int]) -> dict[int, list[tuple[int, dt.datetime]]]:
    """Each organisation's members, admins first, with when they joined."""
    members: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    rows = Membership.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "user_id", "created_at", "role"
    )
    for organisation_id, user_id, joined, _role in sorted(
        rows, key=lambda row: (row[3] != MemberRole.ADMIN, row[2], row[1])
    ):
        members[organisation_id].append((user_id, joined))
    return members


def _write(written: Written) -> None:
    for row, (created_at, updated_at) in zip(written.returns, written.moments, strict=True):
        row.update(created_at=created_at, updated_at=updated_at)
    return_ids = insert_rows(DataReturn, written.returns)
    revisions = []
    for return_id, own in zip(return_ids, written.revisions, strict=True):
        for revision in own:
            revision["data_return_id"] = return_id
            revisions.append(revision)
    insert_rows(ReturnRevision, revisions)
    for index, query in written.queries:
        query["data_return_id"] = return_ids[index]
    insert_rows(ReturnQuery, [query for _, query in written.queries])
    insert_rows(CycleExemption, written.exemptions)
    insert_rows(CycleEvent, written.events)


def insert_rows(model: type[Model], rows: list[dict]) -> list[int]:
    """Insert ``rows`` (column values by attname; fields left out get their default) with every
    value as given, auto_now(_add) timestamps included, and return their new ids in order.

    Two reasons not to bulk_create: cycle events are append-only (a trigger refuses UPDATE), so
    their moments could not be backdated after an INSERT that wrote now; and at 10,000
    organisations bulk_create's per-value preparation of ~60 figure columns took over a
    minute. On PostgreSQL the ids are reserved from the table's sequence and the rows sent with
    COPY; elsewhere (SQLite) bulk_create, then ``backdate`` the timestamps it overwrote.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create(
            [model(**{**defaults, **row}) for row in rows], batch_size=BATCH
        )
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                backdate(
                    model,
                    f.name,
                    {o.pk: row[f.attname] for o, row in zip(objects, rows, strict=True)},
                )
        return [o.pk for o in objects]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    json_columns = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join([quote(pk), *(quote(f.column) for f in fields)])
        names = [f.attname for f in fields]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for new_id, row in zip(ids, rows, strict=True):
                values = {**defaults, **row}
                for name in json_columns:
                    values[name] = json.dumps(values[name])
                copy.write_row([new_id, *(values[name] for name in names)])
    return ids
