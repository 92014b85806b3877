"""Erasing the detailed figures of organisations that asked for it, once the report is out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from pledges.models import CycleEvent, DataReturn, ReturnRevision
from pledges.models.returns import FIGURE_FIELDS
from pledges.services.retention import erase_requested_figures
from signatories.services import ServiceError
from tests.conftest import make_cycle
from tests.pledges.review_data import JUMP_WARNING, submitted_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(acme, globex):
    cycle = make_cycle(2026)
    submitted_return(acme, cycle, retention="delete", warnings=[JUMP_WARNING])
    # A second revision: every revision is erased, not only the latest.
    submitted_return(
        acme,
        cycle,
        retention="delete",
        senior_total=7,
        submitted_at=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC),
    )
    submitted_return(globex, cycle, retention="keep")
    cycle.status = "published"
    cycle.save()
    return cycle


def test_it_erases_every_figure_of_returns_that_asked_and_keeps_the_submission(
    published, acme, globex, staff_user
):
    assert erase_requested_figures(cycle=published, by=staff_user) == 1

    erased = DataReturn.objects.get(organisation=acme)
    assert erased.figures_erased_at is not None
    assert all(getattr(erased, name) in (None, False) for name in FIGURE_FIELDS)
    assert erased.warnings == []
    # The fact and the dates of submission stay.
    assert erased.status == "submitted" and erased.revision_count == 2
    assert erased.first_submitted_at == dt.datetime(2026, 10, 10, 12, tzinfo=dt.UTC)
    revisions = ReturnRevision.objects.filter(data_return=erased).order_by("number")
    assert [r.submitted_at.day for r in revisions] == [10, 20]
    for revision in revisions:
        assert revision.erased_at is not None
        assert all(getattr(revision, name) in (None, False) for name in FIGURE_FIELDS)
        assert revision.warnings == [] and revision.changes == []
    kept = DataReturn.objects.get(organisation=globex)
    assert kept.tech_total == 40 and kept.figures_erased_at is None
    assert ReturnRevision.objects.get(data_return=kept).tech_total == 40
    event = CycleEvent.objects.get()
    assert (event.kind, event.organisation, event.by) == ("erased", acme, staff_user)


def test_running_it_again_erases_nothing_more(published, staff_user):
    erase_requested_figures(cycle=published, by=staff_user)
    assert erase_requested_figures(cycle=published, by=staff_user) == 0
    assert CycleEvent.objects.count() == 1


def test_it_waits_for_the_report_to_be_published(acme, staff_user):
    cycle = make_cycle(2026, status="closed")
    submitted_return(acme, cycle, retention="delete")
    with pytest.raises(ServiceError):
        erase_requested_figures(cycle=cycle, by=staff_user)
    assert ReturnRevision.objects.get().tech_total == 40


def test_without_the_setting_the_trigger_still_refuses(published, require_postgres):
    revision = ReturnRevision.objects.filter(data_return__organisation__slug="acme-analytics")
    with pytest.raises(IntegrityError, match="never edited"), transaction.atomic():
        revision.update(tech_total=None, erased_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    # With the setting, only a change that marks the row erased passes.
    with pytest.raises(IntegrityError, match="never edited"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL charter.erasing_figures = 'on'")
        revision.update(tech_total=41)
    assert set(revision.values_list("tech_total", flat=True)) == {40}
