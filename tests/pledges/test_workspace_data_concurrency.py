"""Two members of one organisation acting on its return at the same instant, on PostgreSQL:
the row lock and the version decide, so exactly one wins and the other is told."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from pledges.models import DataReturn, GraceRequest, ReturnQuery, ReturnRevision
from pledges.services.returns import return_get_or_start
from tests.concurrency import run_concurrently
from tests.conftest import make_cycle
from tests.pledges.test_workspace_data_return import form_data

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/dashboard/acme-analytics/data/2026/"
IN_OCTOBER = dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def two_members(require_postgres, alice, bob, acme_workspace):
    make_cycle(2026)
    clients = []
    for user in (alice, bob):
        client = Client()
        client.force_login(user)
        clients.append(client)
    with time_machine.travel(IN_OCTOBER, tick=False):
        clients[0].get(URL)  # the shared draft, version 1
        yield clients


def post_both(clients, posts: list[dict]) -> list[int]:
    results, errors = run_concurrently(
        [lambda c=c, p=p: c.post(URL, p).status_code for c, p in zip(clients, posts, strict=True)]
    )
    assert errors == [None, None]
    return sorted(results)


def test_two_drafts_saved_at_once_from_one_version_keep_one_and_refuse_the_other(two_members):
    statuses = post_both(
        two_members,
        [
            {**form_data(total_employees="150"), "save": "1"},
            {**form_data(total_employees="200"), "save": "1"},
        ],
    )

    assert statuses == [302, 409]
    data_return = DataReturn.objects.get()
    assert data_return.version == 2 and data_return.total_employees in (150, 200)


def test_two_submissions_at_once_make_one_revision(two_members):
    statuses = post_both(
        two_members,
        [{**form_data(), "submit": "1"}, {**form_data(total_employees="121"), "submit": "1"}],
    )

    assert statuses == [302, 409]
    assert ReturnRevision.objects.count() == 1
    assert DataReturn.objects.get().revision_count == 1


def test_two_grace_requests_at_once_make_one(two_members):
    url = "/dashboard/acme-analytics/data/2026/grace/"
    results, errors = run_concurrently(
        [
            lambda c=c, d=d: c.post(url, {"days": d, "reason": "Busy"}).status_code
            for c, d in zip(two_members, ("7", "14"), strict=True)
        ]
    )

    assert errors == [None, None] and sorted(results) == [302, 400]
    assert GraceRequest.objects.count() == 1


def test_two_answers_to_one_query_at_once_keep_the_first(two_members, acme_workspace):
    data_return = return_get_or_start(
        cycle=DataReturn.objects.get().cycle, organisation=acme_workspace
    )
    query = ReturnQuery.objects.create(data_return=data_return, message="Why?")
    url = f"/dashboard/acme-analytics/data/2026/queries/{query.pk}/"
    results, errors = run_concurrently(
        [
            lambda c=c, a=a: c.post(url, {"answer": a}).status_code
            for c, a in zip(two_members, ("Alice's answer", "Bob's answer"), strict=True)
        ]
    )

    assert errors == [None, None] and sorted(results) == [302, 400]
    query.refresh_from_db()
    assert query.answer in ("Alice's answer", "Bob's answer")
