"""The core of a data return: the shared draft, submission into immutable revisions, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, InternalError, connection, transaction

from pledges.models import ReturnRevision
from pledges.services import returns
from tests.conftest import valid_figures

pytestmark = pytest.mark.django_db

IN_OCTOBER = dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC)


@time_machine.travel(IN_OCTOBER, tick=False)
def test_draft_then_submit_then_amend_keeps_each_revision(acme, alice, bob, open_cycle):
    data_return = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    data_return = returns.return_save_draft(
        data_return=data_return, by=alice, figures={"tech_total": 40}, version=1
    )
    assert data_return.version == 2 and data_return.status == "draft"
    first = returns.return_submit(
        data_return=data_return, by=alice, figures=valid_figures(), version=2
    )
    assert first.reference == "2026-1-r1" and not first.is_late
    data_return.refresh_from_db()
    second = returns.return_submit(
        data_return=data_return, by=bob, figures=valid_figures(senior_total=7), version=3
    )
    assert second.reference == "2026-1-r2"
    assert second.changes == [
        {"field": "senior_total", "label": "Senior tech roles", "before": 6, "after": 7}
    ]
    assert list(ReturnRevision.objects.values_list("number", "senior_total")) == [(2, 7), (1, 6)]


@time_machine.travel(IN_OCTOBER, tick=False)
def test_stale_save_is_refused_with_the_other_change(acme, alice, bob, open_cycle):
    opened = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    stale = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    returns.return_save_draft(data_return=opened, by=alice, figures={"tech_total": 40}, version=1)
    with pytest.raises(returns.ReturnConflict) as refused:
        returns.return_save_draft(data_return=stale, by=bob, figures={"tech_total": 41}, version=1)
    assert refused.value.changes[0]["field"] == "tech_total"
    assert refused.value.changes[0]["after"] == 40


@time_machine.travel(IN_OCTOBER, tick=False)
def test_invalid_submit_writes_nothing(acme, alice, open_cycle):
    data_return = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    with pytest.raises(returns.ReturnInvalid) as refused:
        returns.return_submit(
            data_return=data_return, by=alice, figures=valid_figures(tech_women=11), version=1
        )
    assert {p.code for p in refused.value.problems} == {"gender_sum"}
    data_return.refresh_from_db()
    assert data_return.status == "draft" and data_return.tech_total is None
    assert not ReturnRevision.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False)
def test_after_the_closing_date_only_a_reopen_allows_a_late_submission(acme, alice, open_cycle):
    data_return = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    assert not returns.return_is_editable(data_return)
    data_return.reopened_until = dt.date(2026, 11, 20)
    data_return.save()
    with pytest.raises(returns.LateReasonMissing):
        returns.return_submit(data_return=data_return, by=alice, figures=valid_figures(), version=1)
    revision = returns.return_submit(
        data_return=data_return,
        by=alice,
        figures=valid_figures(),
        version=1,
        late_reason="Our HR system moved.",
    )
    assert revision.is_late and revision.data_return.is_late


@time_machine.travel(IN_OCTOBER, tick=False)
def test_revisions_are_never_edited_or_deleted(require_postgres, acme, alice, open_cycle):
    data_return = returns.return_get_or_start(cycle=open_cycle, organisation=acme)
    revision = returns.return_submit(
        data_return=data_return, by=alice, figures=valid_figures(), version=1
    )
    for statement in (
        "UPDATE pledges_returnrevision SET tech_total = 1 WHERE id = %s",
        "DELETE FROM pledges_returnrevision WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [revision.pk])


def test_raw_figures_need_the_permission_not_just_staff(staff_user, alice):
    from django.contrib.auth.models import Group

    from pledges.services.raw_access import can_view_raw_figures

    assert not can_view_raw_figures(staff_user)
    staff_user.groups.add(Group.objects.get(name="Diversity data viewers"))
    staff_user = type(staff_user).objects.get(pk=staff_user.pk)  # a fresh permission cache
    assert can_view_raw_figures(staff_user)
    assert not can_view_raw_figures(alice)


def test_the_admin_shows_no_raw_figures():
    """The admin would show figures without the access log: returns stay out of it."""
    from django.contrib import admin

    from pledges.models import DataReturn, RawDataAccess, ReturnRevision

    for model in (DataReturn, ReturnRevision, RawDataAccess):
        assert model not in admin.site._registry


@time_machine.travel(IN_OCTOBER, tick=False)
def test_staff_records_are_never_edited_or_deleted(require_postgres, acme, staff_user, open_cycle):
    from pledges.models import CycleEvent, RawDataAccess
    from signatories.models import OrganisationStatusChange

    rows = {
        "pledges_cycleevent": CycleEvent.objects.create(
            cycle=open_cycle, kind="opened", by=staff_user
        ),
        "pledges_rawdataaccess": RawDataAccess.objects.create(
            user=staff_user, kind="view_return", organisation=acme
        ),
        "signatories_organisationstatuschange": OrganisationStatusChange.objects.create(
            organisation=acme, from_status="active", to_status="suspended", reason="test"
        ),
    }
    for table, row in rows.items():
        for statement in (
            f"UPDATE {table} SET id = id WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with (
                pytest.raises((InternalError, IntegrityError)),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [row.pk])
