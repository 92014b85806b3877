"""Compliance with the data pledge: states per cycle, standing, and staff decisions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import ComplianceDecision, CycleExemption
from pledges.selectors.compliance import compliance_overview, organisation_compliance
from pledges.services import returns
from pledges.services.compliance import compliance_another_chance, compliance_suspend
from signatories.models import OrganisationStatusChange
from signatories.services import ServiceError
from tests.conftest import make_cycle, make_organisation, valid_figures
from tests.pledges.review_data import submitted_return

pytestmark = pytest.mark.django_db


def states(organisation) -> dict[int, str]:
    compliance = organisation_compliance(organisation)
    return {entry.cycle.year: entry.state for entry in compliance.cycles}


def standing(organisation) -> str:
    return organisation_compliance(organisation).standing


def close(cycle):
    cycle.status = "closed"
    cycle.save()
    return cycle


def test_on_time_then_two_misses_propose_delisting_then_suspend(acme, staff_user):
    with time_machine.travel(dt.datetime(2024, 10, 10, 12, tzinfo=dt.UTC), tick=False):
        first = make_cycle(2024)
        submitted_return(acme, first)
        assert states(acme) == {2024: "on_time"}
        assert standing(acme) == "reporting"
    close(first)
    with time_machine.travel(dt.datetime(2025, 10, 10, 12, tzinfo=dt.UTC), tick=False):
        second = make_cycle(2025)
        # While the cycle is open nothing is missing yet.
        assert states(acme) == {2024: "on_time", 2025: "due"}
        assert standing(acme) == "reporting"
    close(second)
    assert states(acme)[2025] == "missing"
    assert standing(acme) == "not_reporting"
    with pytest.raises(ServiceError):
        compliance_suspend(organisation=acme, by=staff_user, reason="Too early")
    close(make_cycle(2026))
    assert standing(acme) == "delisting_proposed"

    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False):
        decision = compliance_suspend(organisation=acme, by=staff_user, reason="No data twice.")

    acme.refresh_from_db()
    assert (decision.kind, decision.cycle.year, decision.by) == ("suspend", 2026, staff_user)
    assert acme.status == "suspended" and acme.suspension_reason == "No data twice."
    assert acme.suspended_on == dt.date(2026, 12, 1)
    assert OrganisationStatusChange.objects.get().to_status == "suspended"
    assert standing(acme) == "suspended"
    # The misses before the suspension still count; a cycle closing during it is not expected.
    close(make_cycle(2027))
    assert states(acme) == {
        2024: "on_time",
        2025: "missing",
        2026: "missing",
        2027: "not_expected",
    }


def test_another_chance_lasts_until_the_next_miss(acme, staff_user):
    for year in (2024, 2025):
        make_cycle(year, status="closed")
    assert standing(acme) == "delisting_proposed"

    compliance_another_chance(organisation=acme, by=staff_user, reason="New data lead.")

    assert standing(acme) == "not_reporting"
    assert ComplianceDecision.objects.get().kind == "another_chance"
    with pytest.raises(ServiceError):
        compliance_another_chance(organisation=acme, by=staff_user, reason="Twice")
    make_cycle(2026, status="closed")
    assert standing(acme) == "delisting_proposed"


def test_a_late_return_through_a_reopen_clears_not_reporting(acme, alice):
    cycle = make_cycle(2026, status="closed")
    assert standing(acme) == "not_reporting"
    data_return = returns.return_get_or_start(cycle=cycle, organisation=acme)
    data_return.reopened_until = dt.date(2026, 11, 20)
    data_return.save()

    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        returns.return_submit(
            data_return=data_return,
            by=alice,
            figures=valid_figures(),
            version=data_return.version,
            late_reason="Our HR system moved.",
        )

    assert states(acme) == {2026: "late"}
    assert standing(acme) == "reporting"


def test_exempt_cycles_are_not_misses_and_newcomers_are_not_expected(acme, globex):
    make_cycle(2024, status="closed")
    second = make_cycle(2025, status="closed")
    CycleExemption.objects.create(cycle=second, organisation=acme, reason="No tech staff")
    globex.signed_on = dt.date(2025, 11, 1)  # after the 2025 cycle closed
    globex.save()

    assert states(acme) == {2024: "missing", 2025: "exempt"}
    # Exempt is neither a miss nor a report: the latest counted cycle was missed.
    assert standing(acme) == "not_reporting"
    assert states(globex) == {2024: "not_expected", 2025: "not_expected"}
    assert standing(globex) == "reporting"


def test_withdrawn_organisations_are_left_out(acme, globex):
    make_cycle(2024, status="closed")
    globex.status = "withdrawn"
    globex.withdrawn_on = dt.date(2024, 1, 1)
    globex.save()

    _, rows = compliance_overview()

    assert [row.organisation for row in rows] == [acme]


def test_the_standing_filter(acme, globex):
    cycle = make_cycle(2024, status="closed")
    submitted_return(acme, cycle)

    _, reporting = compliance_overview(standing_filter="reporting")
    _, not_reporting = compliance_overview(standing_filter="not_reporting")

    assert [row.organisation for row in reporting] == [acme]
    assert [row.organisation for row in not_reporting] == [globex]


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_costs_the_same_queries_whatever_the_numbers(size, staff_user):
    cycles = [make_cycle(year, status="closed") for year in (2024, 2025)]
    for number in range(size):
        organisation = make_organisation(f"Org {number}", number=100 + number)
        submitted_return(organisation, cycles[number % 2])
        if number % 3 == 0:
            CycleExemption.objects.create(cycle=cycles[0], organisation=organisation, reason="x")
    with CaptureQueriesContext(connection) as queries:
        _, rows = compliance_overview()
    assert len(rows) == size
    assert len(queries) == 5
