"""The forecast of an open cycle's data reminders over the next days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from pledges.models import DataReturn
from pledges.selectors.reminders_forecast import reminders_forecast
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.conftest import make_organisation, make_user
from tests.pledges.reminders_helpers import count_queries

pytestmark = pytest.mark.django_db


def test_it_lists_each_step_with_its_organisations_and_people(acme, globex, open_cycle):
    DataReturn.objects.create(
        cycle=open_cycle, organisation=globex, grace_until=dt.date(2026, 11, 14)
    )

    days = reminders_forecast(cycle=open_cycle, start=dt.date(2026, 10, 20), days=14)

    rows = [(day.date, day.step, day.organisations, day.recipients) for day in days]
    assert rows == [
        (dt.date(2026, 10, 24), "before:7:2026-10-31", ["Acme Analytics"], ["alice@acme.example"]),
        (dt.date(2026, 10, 29), "before:2:2026-10-31", ["Acme Analytics"], ["alice@acme.example"]),
        (dt.date(2026, 10, 31), "before:0:2026-10-31", ["Acme Analytics"], ["alice@acme.example"]),
        (dt.date(2026, 10, 31), "before:14:2026-11-14", ["Globex"], ["charlie@globex.example"]),
        (dt.date(2026, 11, 1), "after:1:2026-10-31", ["Acme Analytics"], ["alice@acme.example"]),
    ]
    assert days[0].kind_label == "Data return due soon"
    assert days[0].step_label == "7 days before 31 Oct 2026"


def test_submitted_returns_are_left_out_and_the_last_step_copies_the_representative(
    acme, globex, open_cycle
):
    DataReturn.objects.create(
        cycle=open_cycle, organisation=globex, status="submitted", submitted_at=timezone.now()
    )

    days = reminders_forecast(cycle=open_cycle, start=dt.date(2026, 11, 14), days=1)

    assert [(d.step, d.organisations, d.recipients) for d in days] == [
        ("after:14:2026-10-31", ["Acme Analytics"], ["alice@acme.example", "dana@acme.example"])
    ]


def test_it_costs_the_same_queries_whatever_the_numbers(open_cycle):
    def add(first: int, last: int) -> None:
        for number in range(first, last):
            organisation = make_organisation(f"Org {number}", number=number)
            user = make_user(f"admin{number}@org.example")
            Membership.objects.create(organisation=organisation, user=user, role=MemberRole.ADMIN)

    add(1, 4)
    few = count_queries(
        connection, lambda: reminders_forecast(cycle=open_cycle, start=dt.date(2026, 10, 1))
    )
    add(4, 31)
    many = count_queries(
        connection, lambda: reminders_forecast(cycle=open_cycle, start=dt.date(2026, 10, 1))
    )

    assert few == many
    assert (
        len(reminders_forecast(cycle=open_cycle, start=dt.date(2026, 10, 1))[0].organisations) == 30
    )
