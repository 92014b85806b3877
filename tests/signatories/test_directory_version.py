"""Each process reuses its last look at the directory's version for a bounded time."""

from __future__ import annotations

import pytest

from signatories.directory import version as directory_version_module
from tests.conftest import make_organisation


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(directory_version_module.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(directory_version_module, "_remembered_version", None)
    return now


def test_it_reuses_the_version_within_the_max_age(db, settings, clock):
    settings.DIRECTORY_VERSION_MAX_AGE = 1.0
    before = directory_version_module.directory_version()
    make_organisation("Newcomer", number=50)

    clock[0] += 0.5
    still = directory_version_module.directory_version()
    clock[0] += 0.6
    after = directory_version_module.directory_version()

    assert still == before
    assert after != before
    assert after.highest_id > (before.highest_id or 0)


def test_a_max_age_of_zero_reads_the_database_every_time(
    db, settings, clock, django_assert_num_queries
):
    settings.DIRECTORY_VERSION_MAX_AGE = 0
    directory_version_module.directory_version()

    with django_assert_num_queries(1):
        directory_version_module.directory_version()


def test_within_the_max_age_a_cached_look_costs_no_query(
    db, settings, clock, django_assert_num_queries
):
    settings.DIRECTORY_VERSION_MAX_AGE = 1.0
    directory_version_module.directory_version()

    with django_assert_num_queries(0):
        directory_version_module.directory_version()
