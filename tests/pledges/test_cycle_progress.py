"""Who is expected to report and how far they got: pledges.selectors.cycles.cycle_progress."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from pledges.models import CycleExemption, DataReturn
from pledges.selectors.cycles import cycle_progress, expected_organisations
from tests.conftest import make_cycle, make_organisation

pytestmark = pytest.mark.django_db

D = dt.date


def organisation(number: int, **fields):
    return make_organisation(f"Org {number}", number=number, **fields)


def submitted(cycle, org, *, late: bool = False) -> DataReturn:
    return DataReturn.objects.create(
        cycle=cycle,
        organisation=org,
        status="submitted",
        version=3,
        revision_count=1,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
        is_late=late,
    )


def draft(cycle, org, *, saved: bool = True) -> DataReturn:
    # version 1 is the row opening the form creates; a saved draft has a higher version.
    return DataReturn.objects.create(cycle=cycle, organisation=org, version=2 if saved else 1)


@pytest.fixture
def mix():
    """A cycle closing 31 October 2026 and one organisation of each kind."""
    cycle = make_cycle(2026)
    other_cycle = make_cycle(2025, status="closed")
    software_small = {"sector": "software", "size_band": "10-49"}
    finance_large = {"sector": "finance", "size_band": "250-999"}
    orgs = {
        "on_time": organisation(1, **software_small),
        "late": organisation(2, **software_small),
        "draft": organisation(3, **finance_large),
        "opened_only": organisation(4, **finance_large),
        "not_started": organisation(5, **finance_large),
        "exempt": organisation(6, **software_small),
        "exempt_submitted": organisation(7, **finance_large),
        "suspended": organisation(8, status="suspended", **software_small),
        "withdrawn": organisation(
            9, status="withdrawn", withdrawn_on=D(2026, 6, 1), **software_small
        ),
        "signed_after": organisation(10, signed_on=D(2026, 11, 1), **software_small),
        "signed_on_closing_day": organisation(11, signed_on=D(2026, 10, 31), **finance_large),
        "submitted_last_year_only": organisation(12, **software_small),
    }
    submitted(cycle, orgs["on_time"])
    submitted(cycle, orgs["late"], late=True)
    draft(cycle, orgs["draft"])
    draft(cycle, orgs["opened_only"], saved=False)
    CycleExemption.objects.create(cycle=cycle, organisation=orgs["exempt"], reason="No tech")
    CycleExemption.objects.create(
        cycle=cycle, organisation=orgs["exempt_submitted"], reason="No tech"
    )
    submitted(cycle, orgs["exempt_submitted"])
    submitted(cycle, orgs["suspended"])
    submitted(other_cycle, orgs["submitted_last_year_only"])
    CycleExemption.objects.create(
        cycle=other_cycle, organisation=orgs["not_started"], reason="Last year only"
    )
    return cycle, orgs


def test_only_active_signatories_signed_by_the_closing_date_are_expected(mix):
    cycle, orgs = mix
    expected = set(expected_organisations(cycle))
    assert expected == {
        orgs[name]
        for name in (
            "on_time",
            "late",
            "draft",
            "opened_only",
            "not_started",
            "exempt",
            "exempt_submitted",
            "signed_on_closing_day",
            "submitted_last_year_only",
        )
    }


def counts(row) -> dict:
    return {
        "submitted": row.submitted,
        "late": row.late,
        "in_draft": row.in_draft,
        "not_started": row.not_started,
        "exempt": row.exempt,
        "expected": row.expected,
    }


def test_progress_counts_each_state_overall_by_sector_and_by_size_band(mix):
    cycle, _ = mix
    progress = cycle_progress(cycle)
    assert counts(progress.overall) == {
        "submitted": 2,
        "late": 1,
        "in_draft": 1,
        # opened only, never started, signed on the closing day, last year's only
        "not_started": 4,
        "exempt": 2,
        "expected": 9,
    }
    assert progress.overall.to_report == 7
    assert progress.overall.submitted_percent == 29
    by_sector = {row.code: counts(row) for row in progress.by_sector}
    assert by_sector == {
        "software": {
            "submitted": 2,
            "late": 1,
            "in_draft": 0,
            "not_started": 1,
            "exempt": 1,
            "expected": 4,
        },
        "finance": {
            "submitted": 0,
            "late": 0,
            "in_draft": 1,
            "not_started": 3,
            "exempt": 1,
            "expected": 5,
        },
    }
    by_size = {row.code: counts(row) for row in progress.by_size_band}
    assert by_size["10-49"] == by_sector["software"]
    assert by_size["250-999"] == by_sector["finance"]
    assert [row.label for row in progress.by_sector] == [
        "Software and IT services",
        "Financial services",
    ]


def test_an_extension_brings_in_organisations_that_signed_before_the_new_date(mix):
    cycle, _ = mix
    cycle.closes_on = D(2026, 11, 14)
    cycle.save()
    assert cycle_progress(cycle).overall.expected == 10


def test_a_cycle_nobody_is_expected_in_shows_zeros():
    cycle = make_cycle(2026)
    progress = cycle_progress(cycle)
    assert progress.overall.expected == 0
    assert progress.overall.submitted_percent == 0
    assert progress.by_sector == [] and progress.by_size_band == []


@pytest.mark.parametrize("size", [3, 30])
def test_progress_is_one_query_whatever_the_number_of_organisations(
    size, django_assert_num_queries
):
    cycle = make_cycle(2026)
    sectors = ["software", "finance", "health"]
    bands = ["1-9", "10-49", "50-249", "5000+"]
    for number in range(1, size + 1):
        org = organisation(number, sector=sectors[number % 3], size_band=bands[number % 4])
        if number % 3 == 0:
            submitted(cycle, org)
        elif number % 3 == 1:
            draft(cycle, org)
    with django_assert_num_queries(1):
        progress = cycle_progress(cycle)
    assert progress.overall.expected == size


@time_machine.travel(dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC), tick=False)
def test_the_cached_progress_follows_every_change_it_counts(staff_user, django_assert_num_queries):
    """The cycle page's progress comes from the cache until a return, an exemption or an
    organisation changes; then it is counted again."""
    from pledges.selectors.cycles import cycle_progress_live
    from pledges.services.cycles import cycle_exempt
    from pledges.services.returns import return_get_or_start, return_save_draft

    cycle = make_cycle(2026)
    first, second, third = (organisation(number) for number in (1, 2, 3))
    submitted(cycle, first)
    assert cycle_progress_live(cycle).overall.submitted == 1
    with django_assert_num_queries(1):  # the signature only
        assert cycle_progress_live(cycle).overall.not_started == 2
    return_save_draft(
        data_return=return_get_or_start(cycle=cycle, organisation=second),
        by=staff_user,
        figures={"tech_total": 4},
        version=1,
    )
    assert cycle_progress_live(cycle).overall.in_draft == 1
    cycle_exempt(cycle=cycle, organisation=third, by=staff_user, reason="No tech staff")
    assert cycle_progress_live(cycle).overall.exempt == 1
    first.status = "suspended"
    first.save()
    assert cycle_progress_live(cycle).overall.submitted == 0
    assert cycle_progress_live(cycle).overall.expected == 2
