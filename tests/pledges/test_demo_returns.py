"""seed_demo's data collection: five cycles, returns whose figures pass the rules and look real,
and every case the staff pages show (late, missing, exempt, amended, queued, draft)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections import defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from pledges import returns_rules as rules
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
)
from signatories.choices import OrganisationStatus
from signatories.models import Membership, Organisation

ORGANISATIONS = 200


@pytest.fixture
def seeded(db):
    call_command("seed_demo", organisations=ORGANISATIONS, seed=1, stdout=io.StringIO())
    return timezone.now()


def submitted_returns():
    return DataReturn.objects.filter(status=ReturnStatus.SUBMITTED).select_related(
        "cycle", "organisation"
    )


def test_five_cycles_four_closed_and_the_current_one_open_with_a_live_deadline(seeded):
    today = timezone.localdate()
    cycles = list(ReportingCycle.objects.order_by("year"))

    assert [cycle.year for cycle in cycles] == list(range(cycles[0].year, cycles[0].year + 5))
    assert [cycle.status for cycle in cycles] == [CycleStatus.CLOSED] * 4 + [CycleStatus.OPEN]
    current = cycles[-1]
    assert current.opens_on < today < current.closes_on
    assert current.closes_on - today >= dt.timedelta(weeks=2)  # a deadline to chase
    for cycle in cycles[:-1]:
        assert cycle.closes_on < current.opens_on
        assert cycle.opened_at < cycle.closed_at <= seeded
    kinds = defaultdict(set)
    for event in CycleEvent.objects.filter(organisation__isnull=True):
        kinds[event.cycle_id].add(event.kind)
    assert kinds[current.pk] == {CycleEventKind.CREATED, CycleEventKind.OPENED}
    for cycle in cycles[:-1]:
        assert kinds[cycle.pk] == {
            CycleEventKind.CREATED,
            CycleEventKind.OPENED,
            CycleEventKind.CLOSED,
        }


def test_every_submitted_figure_passes_the_rules_and_looks_real(seeded):
    returns = list(submitted_returns())
    revisions = list(ReturnRevision.objects.select_related("data_return__cycle"))

    assert len(returns) > ORGANISATIONS  # most organisations, most years
    for figures, cycle in [(r.figures(), r.cycle) for r in returns] + [
        (revision.figures(), revision.data_return.cycle) for revision in revisions
    ]:
        assert (
            rules.figures_errors(
                figures,
                window_starts_on=cycle.window_starts_on,
                window_ends_on=cycle.window_ends_on,
            )
            == []
        )
    for data_return in returns:
        low, high = rules.SIZE_BAND_RANGES[data_return.organisation.size_band]
        inside = low <= data_return.total_employees <= (high or 10**9)
        # Outside the profile's band only with the warning that says so.
        codes = {warning["code"] for warning in data_return.warnings}
        assert inside or "outside_size_band" in codes, data_return


def test_womens_share_rises_from_near_25_to_near_29_and_senior_roles_are_lower(seeded):
    share, senior, minority = {}, {}, {}
    for year in ReportingCycle.objects.values_list("year", flat=True):
        returns = list(submitted_returns().filter(cycle__year=year))
        tech = sum(r.tech_total for r in returns)
        share[year] = 100 * sum(r.tech_women for r in returns) / tech
        senior[year] = (
            100 * sum(r.senior_women for r in returns) / sum(r.senior_total for r in returns)
        )
        collected = [r for r in returns if r.ethnicity_collected]
        minority[year] = (
            100
            * sum(r.tech_ethnic_minority for r in collected)
            / sum(r.tech_total for r in collected)
        )
    years = sorted(share)

    assert 22 <= share[years[0]] <= 27
    assert 27 <= share[years[-1]] <= 32
    assert share[years[-1]] - share[years[0]] >= 2
    assert all(senior[year] < share[year] for year in years)
    assert all(17 <= minority[year] <= 27 for year in years)


def test_some_late_some_missing_some_exempt_some_amended_some_queued_some_draft(seeded):
    cycles = list(ReportingCycle.objects.order_by("year"))
    closed, current = cycles[:-1], cycles[-1]
    returns = list(DataReturn.objects.select_related("cycle"))

    late = [r for r in returns if r.is_late]
    assert late and all(r.late_reason and r.cycle.status == CycleStatus.CLOSED for r in late)
    # Late means after the deadline, through a staff reopen recorded as a cycle event.
    for data_return in late:
        assert timezone.localtime(data_return.first_submitted_at).date() > (
            data_return.cycle.closes_on
        )
        assert data_return.reopened_until and data_return.reopen_reason
    reopened = CycleEvent.objects.filter(kind=CycleEventKind.REOPENED)
    assert {(e.cycle_id, e.organisation_id) for e in reopened} == {
        (r.cycle_id, r.organisation_id) for r in late
    }

    exemptions = list(CycleExemption.objects.all())
    assert exemptions and all(exemption.reason for exemption in exemptions)
    exempt = {(e.cycle_id, e.organisation_id) for e in exemptions}
    assert not exempt & {(r.cycle_id, r.organisation_id) for r in returns}
    assert CycleEvent.objects.filter(kind=CycleEventKind.EXEMPTED).count() == len(exemptions)

    active = Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
    for cycle in closed:
        expected = {o.pk for o in active if o.signed_on <= cycle.closes_on}
        reported = {r.organisation_id for r in returns if r.cycle_id == cycle.pk}
        excused = {organisation for cycle_id, organisation in exempt if cycle_id == cycle.pk}
        assert reported <= expected
        assert expected - reported - excused, f"nobody missing in {cycle.year}"
        assert len(reported) > len(expected) / 2  # most organisations reported
        assert all(r.status == ReturnStatus.SUBMITTED for r in returns if r.cycle_id == cycle.pk)

    now = [r for r in returns if r.cycle_id == current.pk]
    statuses = {r.status for r in now}
    assert statuses == {ReturnStatus.DRAFT, ReturnStatus.SUBMITTED}
    expected_now = {o.pk for o in active}
    assert expected_now - {r.organisation_id for r in now}, "some not started"
    for draft in (r for r in now if r.status == ReturnStatus.DRAFT):
        assert rules.sections_incomplete(draft.figures())  # still something to fill in

    assert any(r.revision_count == 2 for r in returns)
    waiting = [r for r in returns if r.outlier_status == OutlierStatus.WAITING]
    assert waiting and all(r.is_submitted and r.warnings for r in waiting)
    for data_return in (r for r in returns if r.warnings):
        assert all(warning["note"] and warning["message"] for warning in data_return.warnings)
    assert ReturnQuery.objects.exists()


def test_revision_rows_match_the_returns(seeded):
    revisions = defaultdict(list)
    for revision in ReturnRevision.objects.order_by("number"):
        revisions[revision.data_return_id].append(revision)
    members = {(m.organisation_id, m.user_id): m.created_at for m in Membership.objects.all()}

    for data_return in DataReturn.objects.all():
        own = revisions[data_return.pk]
        if data_return.status == ReturnStatus.DRAFT:
            assert own == [] and data_return.revision_count == 0
            continue
        assert [revision.number for revision in own] == list(
            range(1, data_return.revision_count + 1)
        )
        latest = own[-1]
        assert latest.figures() == data_return.figures()
        assert latest.warnings == data_return.warnings
        assert own[0].submitted_at == data_return.first_submitted_at
        assert latest.submitted_at == data_return.submitted_at
        assert own[0].is_late == data_return.is_late
        assert own[0].late_reason == data_return.late_reason
        assert own[0].changes == []
        for before, after in itertools.pairwise(own):
            assert before.submitted_at < after.submitted_at
            changed = {change["field"] for change in after.changes}
            assert changed == {
                name for name, value in after.figures().items() if before.figures()[name] != value
            }
            assert changed
        for revision in own:
            if revision.submitted_by_id:
                joined = members[(data_return.organisation_id, revision.submitted_by_id)]
                assert joined <= revision.submitted_at


def test_timestamps_tell_one_story(seeded):
    now = seeded
    organisations = {o.pk: o for o in Organisation.objects.all()}
    for data_return in DataReturn.objects.select_related("cycle"):
        approved = organisations[data_return.organisation_id].created_at
        opened = data_return.cycle.opened_at
        assert max(approved, opened) <= data_return.created_at <= data_return.updated_at <= now
        if data_return.is_submitted:
            assert data_return.created_at <= data_return.first_submitted_at
            assert data_return.first_submitted_at <= data_return.submitted_at
            assert data_return.submitted_at <= data_return.updated_at
    for event in CycleEvent.objects.select_related("cycle"):
        assert event.at <= now
        if event.organisation_id:
            assert organisations[event.organisation_id].created_at <= event.at
    for query in ReturnQuery.objects.select_related("data_return"):
        assert query.data_return.submitted_at <= query.asked_at <= now
        if query.answered_at:
            assert query.asked_at <= query.answered_at <= query.data_return.updated_at


def test_running_again_creates_nothing(seeded):
    counts = (
        DataReturn.objects.count(),
        ReturnRevision.objects.count(),
        CycleEvent.objects.count(),
    )
    output = io.StringIO()

    call_command("seed_demo", organisations=ORGANISATIONS, seed=1, stdout=output)

    assert "nothing created" in output.getvalue()
    assert counts == (
        DataReturn.objects.count(),
        ReturnRevision.objects.count(),
        CycleEvent.objects.count(),
    )


@pytest.mark.parametrize("day", [dt.date(2027, 1, 20), dt.date(2027, 4, 2)])
def test_the_open_cycle_has_headcount_dates_in_the_past_whatever_the_day(db, day):
    # In January the current year's window has not started: last year's cycle is still open.
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", organisations=40, seed=1, stdout=io.StringIO())
        current = ReportingCycle.objects.get(status=CycleStatus.OPEN)
        assert current.year == (2027 if day.month >= 4 else 2026)
        assert current.opens_on < day < current.closes_on
        for data_return in submitted_returns():
            assert data_return.snapshot_date < day
            assert (
                rules.figures_errors(
                    data_return.figures(),
                    window_starts_on=data_return.cycle.window_starts_on,
                    window_ends_on=data_return.cycle.window_ends_on,
                )
                == []
            )
