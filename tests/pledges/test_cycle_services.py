"""Staff run the cycle: every rule of pledges.services.cycles, and the CycleEvent each action
writes (who, why, before and after)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from pledges.models import (
    CycleEvent,
    CycleEventKind,
    CycleExemption,
    DataReturn,
    GraceRequest,
    ReportingCycle,
)
from pledges.services.cycles import (
    CycleInvalid,
    cycle_close,
    cycle_create,
    cycle_exempt,
    cycle_exemption_remove,
    cycle_extend,
    cycle_open,
    cycle_update,
    grace_grant,
    grace_refuse,
    return_reopen,
)
from pledges.services.returns import (
    return_deadline,
    return_get_or_start,
    return_is_editable,
    return_save_draft,
    return_submit,
)
from signatories.services import ServiceError
from tests.conftest import make_cycle, valid_figures

pytestmark = pytest.mark.django_db

D = dt.date


def create(year: int = 2027, by=None, **fields) -> ReportingCycle:
    values = {"opens_on": D(year, 10, 1), "closes_on": D(year, 10, 31), **fields}
    return cycle_create(year=year, by=by, **values)


def last_event(cycle: ReportingCycle) -> CycleEvent:
    return cycle.events.order_by("-id").first()


# ---- create and edit -------------------------------------------------------------------------


def test_a_new_cycle_is_a_draft_with_the_default_window_and_a_created_event(staff_user):
    cycle = create(by=staff_user, introduction="  Tell us about 2027.  ")
    assert cycle.status == "draft"
    assert (cycle.window_starts_on, cycle.window_ends_on) == (D(2027, 3, 1), D(2027, 9, 30))
    assert cycle.introduction == "Tell us about 2027."
    assert cycle.created_by == staff_user
    event = last_event(cycle)
    assert (event.kind, event.by) == (CycleEventKind.CREATED, staff_user)
    assert event.details["closes_on"] == {"before": None, "after": "2027-10-31"}
    assert event.details["window_starts_on"]["after"] == "2027-03-01"


def test_staff_may_move_one_end_of_the_window(staff_user):
    cycle = create(by=staff_user, window_ends_on=D(2027, 6, 30))
    assert (cycle.window_starts_on, cycle.window_ends_on) == (D(2027, 3, 1), D(2027, 6, 30))


def test_the_year_is_unique(staff_user):
    create(by=staff_user)
    with pytest.raises(CycleInvalid) as refused:
        create(by=staff_user)
    assert "year" in refused.value.problems
    assert ReportingCycle.objects.count() == 1
    assert CycleEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"window_starts_on": D(2026, 12, 1)}, "window_starts_on", "must start in 2027"),
        ({"window_ends_on": D(2028, 1, 1)}, "window_ends_on", "must end in 2027"),
        (
            {"window_starts_on": D(2027, 9, 1), "window_ends_on": D(2027, 8, 1)},
            "window_ends_on",
            "on or after the day it starts",
        ),
        ({"closes_on": D(2027, 9, 30)}, "closes_on", "on or after the opening date"),
    ],
)
def test_dates_out_of_order_or_outside_the_year_are_refused(staff_user, fields, field, message):
    with pytest.raises(CycleInvalid) as refused:
        create(by=staff_user, **fields)
    assert message in refused.value.problems[field]
    assert not ReportingCycle.objects.exists()
    assert not CycleEvent.objects.exists()


def test_closing_the_day_it_opens_is_allowed(staff_user):
    cycle = create(by=staff_user, closes_on=D(2027, 10, 1))
    assert cycle.closes_on == cycle.opens_on


def test_a_draft_is_edited_with_what_changed_recorded(staff_user):
    cycle = create(by=staff_user)
    cycle_update(
        cycle=cycle,
        by=staff_user,
        window_starts_on=D(2027, 4, 1),
        window_ends_on=D(2027, 9, 30),
        opens_on=D(2027, 10, 1),
        closes_on=D(2027, 11, 15),
        introduction="",
        reason="Later this year",
    )
    cycle.refresh_from_db()
    assert cycle.closes_on == D(2027, 11, 15)
    event = last_event(cycle)
    assert event.kind == CycleEventKind.EDITED
    assert event.reason == "Later this year"
    assert event.details == {
        "window_starts_on": {"before": "2027-03-01", "after": "2027-04-01"},
        "closes_on": {"before": "2027-10-31", "after": "2027-11-15"},
    }


def test_an_edit_that_changes_nothing_records_nothing(staff_user):
    cycle = create(by=staff_user)
    values = {
        name: getattr(cycle, name)
        for name in ("window_starts_on", "window_ends_on", "opens_on", "closes_on", "introduction")
    }
    cycle_update(cycle=cycle, by=staff_user, **values)
    assert cycle.events.count() == 1


def test_only_a_draft_can_be_edited(staff_user):
    cycle = make_cycle(2026)
    with pytest.raises(ServiceError, match="only a draft cycle can be edited"):
        cycle_update(
            cycle=cycle,
            by=staff_user,
            window_starts_on=cycle.window_starts_on,
            window_ends_on=cycle.window_ends_on,
            opens_on=cycle.opens_on,
            closes_on=D(2026, 12, 1),
        )
    cycle.refresh_from_db()
    assert cycle.closes_on == D(2026, 10, 31)


def test_an_edit_checks_the_dates_too(staff_user):
    cycle = create(by=staff_user)
    with pytest.raises(CycleInvalid) as refused:
        cycle_update(
            cycle=cycle,
            by=staff_user,
            window_starts_on=D(2027, 3, 1),
            window_ends_on=D(2027, 9, 30),
            opens_on=D(2027, 10, 1),
            closes_on=D(2027, 9, 1),
        )
    assert "closes_on" in refused.value.problems
    assert cycle.events.count() == 1


# ---- open, extend, close ---------------------------------------------------------------------


def test_the_cycle_goes_draft_open_closed_each_step_recorded(staff_user):
    cycle = create(by=staff_user)
    with time_machine.travel(dt.datetime(2027, 9, 20, 9, tzinfo=dt.UTC)):
        cycle = cycle_open(cycle=cycle, by=staff_user, reason="Ready")
    assert cycle.status == "open"
    assert cycle.opened_at.date() == D(2027, 9, 20)
    opened = last_event(cycle)
    assert (opened.kind, opened.reason) == (CycleEventKind.OPENED, "Ready")
    assert opened.details == {"status": {"before": "draft", "after": "open"}}

    with time_machine.travel(dt.datetime(2027, 11, 1, 9, tzinfo=dt.UTC)):
        cycle = cycle_close(cycle=cycle, by=staff_user)
    assert cycle.status == "closed"
    assert cycle.closed_at.date() == D(2027, 11, 1)
    assert last_event(cycle).details == {"status": {"before": "open", "after": "closed"}}


def test_a_cycle_opens_once_and_closes_once(staff_user):
    cycle = make_cycle(2026, status="open")
    with pytest.raises(ServiceError, match="already open"):
        cycle_open(cycle=cycle, by=staff_user)
    cycle_close(cycle=cycle, by=staff_user)
    with pytest.raises(ServiceError, match="only an open cycle can be closed"):
        cycle_close(cycle=cycle, by=staff_user)
    with pytest.raises(ServiceError, match="only a draft cycle can be opened"):
        cycle_open(cycle=cycle, by=staff_user)
    assert cycle.events.count() == 1


def test_a_draft_cannot_be_closed(staff_user):
    cycle = make_cycle(2026, status="draft")
    with pytest.raises(ServiceError, match="only an open cycle"):
        cycle_close(cycle=cycle, by=staff_user)


def test_extending_moves_the_closing_date_for_everyone(staff_user, acme):
    cycle = make_cycle(2026)
    data_return = return_get_or_start(cycle=cycle, organisation=acme)
    cycle = cycle_extend(
        cycle=cycle, by=staff_user, closes_on=D(2026, 11, 14), reason="Half-term clash"
    )
    assert cycle.closes_on == D(2026, 11, 14)
    data_return.refresh_from_db()
    assert return_deadline(data_return) == D(2026, 11, 14)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)):
        assert return_is_editable(data_return)
    event = last_event(cycle)
    assert (event.kind, event.reason) == (CycleEventKind.EXTENDED, "Half-term clash")
    assert event.details == {"closes_on": {"before": "2026-10-31", "after": "2026-11-14"}}


@pytest.mark.parametrize("closes_on", [D(2026, 10, 31), D(2026, 10, 20)])
def test_an_extension_must_be_later_than_the_current_closing_date(staff_user, closes_on):
    cycle = make_cycle(2026)
    with pytest.raises(CycleInvalid) as refused:
        cycle_extend(cycle=cycle, by=staff_user, closes_on=closes_on, reason="Why not")
    assert "after the current one, 31 October 2026" in refused.value.problems["closes_on"]
    assert not cycle.events.exists()


def test_an_extension_needs_a_reason_and_an_open_cycle(staff_user):
    cycle = make_cycle(2026)
    with pytest.raises(CycleInvalid) as refused:
        cycle_extend(cycle=cycle, by=staff_user, closes_on=D(2026, 11, 30), reason="  ")
    assert "reason" in refused.value.problems
    closed = make_cycle(2025, status="closed")
    with pytest.raises(ServiceError, match="only an open cycle"):
        cycle_extend(cycle=closed, by=staff_user, closes_on=D(2025, 12, 1), reason="Late")
    assert not CycleEvent.objects.exists()


# ---- exemptions ------------------------------------------------------------------------------


def test_an_organisation_is_exempted_with_a_reason_and_can_be_expected_again(staff_user, acme):
    cycle = make_cycle(2026)
    exemption = cycle_exempt(
        cycle=cycle, organisation=acme, by=staff_user, reason="No tech staff on 5 April"
    )
    assert exemption.reason == "No tech staff on 5 April"
    event = last_event(cycle)
    assert (event.kind, event.organisation, event.reason) == (
        CycleEventKind.EXEMPTED,
        acme,
        "No tech staff on 5 April",
    )
    with pytest.raises(ServiceError, match="already exempt"):
        cycle_exempt(cycle=cycle, organisation=acme, by=staff_user, reason="Again")

    cycle_exemption_remove(exemption=exemption, by=staff_user, reason="They hired two engineers")
    assert not CycleExemption.objects.exists()
    removed = last_event(cycle)
    assert removed.kind == CycleEventKind.EXEMPTION_REMOVED
    assert removed.details["exemption_reason"] == "No tech staff on 5 April"
    with pytest.raises(ServiceError, match="already removed"):
        cycle_exemption_remove(exemption=exemption, by=staff_user, reason="Twice")


def test_an_exemption_needs_a_reason_and_an_unpublished_cycle(staff_user, acme):
    cycle = make_cycle(2026)
    with pytest.raises(CycleInvalid):
        cycle_exempt(cycle=cycle, organisation=acme, by=staff_user, reason="")
    published = make_cycle(2025, status="published")
    with pytest.raises(ServiceError, match="published"):
        cycle_exempt(cycle=published, organisation=acme, by=staff_user, reason="Too late")
    assert not CycleExemption.objects.exists()
    assert not CycleEvent.objects.exists()


def test_one_exemption_per_organisation_and_cycle_in_the_database_too(staff_user, acme):
    cycle = make_cycle(2026)
    CycleExemption.objects.create(cycle=cycle, organisation=acme, reason="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        CycleExemption.objects.create(cycle=cycle, organisation=acme, reason="Second")


# ---- reopen ----------------------------------------------------------------------------------


def test_a_return_is_reopened_after_the_deadline_and_can_be_submitted_late(staff_user, acme, alice):
    cycle = make_cycle(2026)
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)):
        cycle_close(cycle=cycle, by=staff_user)
        data_return = return_reopen(
            cycle=cycle,
            organisation=acme,
            by=staff_user,
            reason="Their data lead was ill",
            until=D(2026, 11, 20),
        )
        assert (data_return.reopened_until, data_return.reopen_reason) == (
            D(2026, 11, 20),
            "Their data lead was ill",
        )
        assert return_is_editable(data_return)
        event = last_event(cycle)
        assert (event.kind, event.organisation) == (CycleEventKind.REOPENED, acme)
        assert event.details == {"reopened_until": {"before": None, "after": "2026-11-20"}}
        revision = return_submit(
            data_return=data_return,
            by=alice,
            figures=valid_figures(),
            version=data_return.version,
            late_reason="Illness",
        )
    assert revision.is_late
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)):
        data_return.refresh_from_db()
        assert not return_is_editable(data_return)


def test_no_reopen_before_the_organisations_deadline(staff_user, acme):
    cycle = make_cycle(2026)
    with (
        time_machine.travel(dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC)),
        pytest.raises(ServiceError, match="deadline is 31 October 2026"),
    ):
        return_reopen(
            cycle=cycle, organisation=acme, by=staff_user, reason="Early", until=D(2026, 11, 9)
        )
    data_return = return_get_or_start(cycle=cycle, organisation=acme)
    DataReturn.objects.filter(pk=data_return.pk).update(grace_until=D(2026, 11, 14))
    with (
        time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)),
        pytest.raises(ServiceError, match="deadline is 14 November 2026"),
    ):
        return_reopen(
            cycle=cycle, organisation=acme, by=staff_user, reason="Grace", until=D(2026, 12, 1)
        )
    assert not CycleEvent.objects.exists()


def test_no_reopen_once_published_nor_of_a_draft_cycle(staff_user, acme):
    published = make_cycle(2025, status="published")
    draft = make_cycle(2027, status="draft")
    with time_machine.travel(dt.datetime(2027, 12, 1, 12, tzinfo=dt.UTC)):
        with pytest.raises(ServiceError, match="published"):
            return_reopen(
                cycle=published, organisation=acme, by=staff_user, reason="x", until=D(2027, 12, 9)
            )
        with pytest.raises(ServiceError, match="not opened yet"):
            return_reopen(
                cycle=draft, organisation=acme, by=staff_user, reason="x", until=D(2027, 12, 9)
            )
    assert not DataReturn.objects.exists()


def test_a_reopen_needs_a_reason_and_a_deadline_after_today(staff_user, acme):
    cycle = make_cycle(2026, status="closed")
    with time_machine.travel(dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC)):
        with pytest.raises(CycleInvalid) as refused:
            return_reopen(
                cycle=cycle, organisation=acme, by=staff_user, reason="x", until=D(2026, 11, 5)
            )
        assert "until" in refused.value.problems
        with pytest.raises(CycleInvalid) as refused:
            return_reopen(
                cycle=cycle, organisation=acme, by=staff_user, reason=" ", until=D(2026, 11, 9)
            )
        assert "reason" in refused.value.problems
    assert not CycleEvent.objects.exists()
    assert not DataReturn.objects.filter(reopened_until__isnull=False).exists()


def test_a_second_reopen_records_the_previous_deadline(staff_user, acme):
    cycle = make_cycle(2026, status="closed")
    with time_machine.travel(dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC)):
        return_reopen(
            cycle=cycle, organisation=acme, by=staff_user, reason="One", until=D(2026, 11, 9)
        )
        return_reopen(
            cycle=cycle, organisation=acme, by=staff_user, reason="Two", until=D(2026, 11, 16)
        )
    assert last_event(cycle).details == {
        "reopened_until": {"before": "2026-11-09", "after": "2026-11-16"}
    }


# ---- grace -----------------------------------------------------------------------------------


def grace_request(cycle, organisation, by, days: int = 10) -> GraceRequest:
    data_return = return_get_or_start(cycle=cycle, organisation=organisation)
    return GraceRequest.objects.create(
        data_return=data_return, days=days, reason="Our HR system moves in October", requested_by=by
    )


def test_granting_grace_sets_the_deadline_to_the_closing_date_plus_the_days(
    staff_user, acme, alice
):
    cycle = make_cycle(2026)
    request = grace_request(cycle, acme, alice, days=10)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)):
        cycle_close(cycle=cycle, by=staff_user)
        request = grace_grant(grace_request=request, by=staff_user, note="Fine")
        assert (request.status, request.decided_by, request.decision_note) == (
            "granted",
            staff_user,
            "Fine",
        )
        data_return = DataReturn.objects.get(cycle=cycle, organisation=acme)
        assert data_return.grace_until == D(2026, 11, 10)
        assert return_deadline(data_return) == D(2026, 11, 10)
        assert return_is_editable(data_return)
        # Inside the grace period a first submission is on time.
        revision = return_submit(
            data_return=data_return, by=alice, figures=valid_figures(), version=data_return.version
        )
        assert not revision.is_late
    event = last_event(cycle)
    assert (event.kind, event.organisation, event.reason) == (
        CycleEventKind.GRACE_GRANTED,
        acme,
        "Fine",
    )
    assert event.details["grace_until"] == {"before": None, "after": "2026-11-10"}
    assert event.details["days"] == 10


def test_a_refusal_needs_a_note_and_leaves_the_deadline(staff_user, acme, alice):
    cycle = make_cycle(2026)
    request = grace_request(cycle, acme, alice)
    with pytest.raises(CycleInvalid) as refused:
        grace_refuse(grace_request=request, by=staff_user, note="")
    assert "note" in refused.value.problems
    request = grace_refuse(grace_request=request, by=staff_user, note="Everyone had six weeks")
    assert (request.status, request.decision_note) == ("refused", "Everyone had six weeks")
    assert DataReturn.objects.get(pk=request.data_return_id).grace_until is None
    assert last_event(cycle).kind == CycleEventKind.GRACE_REFUSED


def test_a_grace_request_is_decided_once(staff_user, acme, alice):
    cycle = make_cycle(2026)
    request = grace_request(cycle, acme, alice)
    grace_refuse(grace_request=request, by=staff_user, note="No")
    with pytest.raises(ServiceError, match="already refused"):
        grace_grant(grace_request=request, by=staff_user)
    with pytest.raises(ServiceError, match="already refused"):
        grace_refuse(grace_request=request, by=staff_user, note="Still no")
    assert cycle.events.count() == 1


def test_no_grace_once_published(staff_user, acme, alice):
    cycle = make_cycle(2026)
    request = grace_request(cycle, acme, alice)
    ReportingCycle.objects.filter(pk=cycle.pk).update(status="published")
    with pytest.raises(ServiceError, match="published"):
        grace_grant(grace_request=request, by=staff_user)
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_saved_draft_can_be_reopened_and_saved_again(staff_user, acme, alice):
    cycle = make_cycle(2026)
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)):
        data_return = return_get_or_start(cycle=cycle, organisation=acme)
        data_return = return_save_draft(
            data_return=data_return, by=alice, figures={"tech_total": 40}, version=1
        )
    with time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC)):
        cycle_close(cycle=cycle, by=staff_user)
        return_reopen(
            cycle=cycle, organisation=acme, by=staff_user, reason="Finish it", until=D(2026, 11, 9)
        )
        data_return.refresh_from_db()
        data_return = return_save_draft(
            data_return=data_return,
            by=alice,
            figures={"tech_total": 41},
            version=data_return.version,
        )
    assert data_return.tech_total == 41
