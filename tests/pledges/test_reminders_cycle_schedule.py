"""A cycle's reminder schedule: staff change the days before and after the closing date while
the cycle is a draft; each change is recorded; bad input and an open cycle are refused."""

from __future__ import annotations

import pytest

from pledges.models import CycleEvent, CycleEventKind
from pledges.services.cycles import CycleInvalid
from pledges.services.reminders.cycle_schedule import cycle_reminder_schedule_set
from tests.conftest import make_cycle

pytestmark = pytest.mark.django_db

URL = "/staff/data/2027/reminders/schedule/"


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def draft(db):
    return make_cycle(2027, status="draft")


def post(client, before: str, after: str, reason: str = ""):
    return client.post(
        URL,
        {
            "schedule-reminder_days_before": before,
            "schedule-reminder_days_after": after,
            "schedule-reason": reason,
        },
    )


def test_the_cycle_page_shows_the_schedule_and_a_draft_its_form(staff, draft):
    page = staff.get("/staff/data/2027/").content.decode()

    assert "28 days before, 14 days before, 7 days before, 2 days before, on the day" in page
    assert "1 day after, 14 days after" in page
    assert 'value="28, 14, 7, 2, 0"' in page
    assert 'value="1, 14"' in page


def test_staff_change_a_draft_cycles_schedule_sorted_and_recorded(staff, staff_user, draft):
    response = post(staff, "7, 30,0 , 14", "3,1", reason="Shorter chase this year")

    assert response.status_code == 302
    assert response["Location"] == "/staff/data/2027/"
    draft.refresh_from_db()
    assert draft.reminder_days_before == [30, 14, 7, 0]
    assert draft.reminder_days_after == [1, 3]
    event = CycleEvent.objects.get()
    assert (event.kind, event.by, event.reason) == (
        CycleEventKind.REMINDERS_SCHEDULED,
        staff_user,
        "Shorter chase this year",
    )
    assert event.details == {
        "reminder_days_before": {"before": [28, 14, 7, 2, 0], "after": [30, 14, 7, 0]},
        "reminder_days_after": {"before": [1, 14], "after": [1, 3]},
    }
    page = staff.get("/staff/data/2027/").content.decode()
    assert "Reminders, days before closing: 28, 14, 7, 2, 0 → 30, 14, 7, 0" in page


def test_saving_the_same_schedule_records_nothing(staff, draft):
    response = post(staff, "0, 2, 7, 14, 28", "14, 1")

    assert response.status_code == 302
    assert not CycleEvent.objects.exists()


@pytest.mark.parametrize(
    ("before", "after", "field", "message"),
    [
        ("28, 14, x", "1", "id_schedule-reminder_days_before", "“x” is not one"),
        ("28, -1", "1", "id_schedule-reminder_days_before", "“-1” is not one"),
        ("7.5", "1", "id_schedule-reminder_days_before", "“7.5” is not one"),
        ("28, 91", "1", "id_schedule-reminder_days_before", "between 0 and 90: 91 is not"),
        ("28, 14", "1, 1", "id_schedule-reminder_days_after", "Give each day once: 1 is there"),
        ("28", " , ", "id_schedule-reminder_days_after", "Give at least one day."),
        ("", "1", "id_schedule-reminder_days_before", "Give at least one day."),
    ],
)
def test_bad_days_are_refused_next_to_the_field_and_kept_as_typed(
    staff, draft, before, after, field, message
):
    response = post(staff, before, after)

    assert response.status_code == 400
    page = response.content.decode()
    assert "That was not done" in page
    assert f'href="#{field}"' in page
    assert message in page
    if before:
        assert f'value="{before}"' in page
    draft.refresh_from_db()
    assert draft.reminder_days_before == [28, 14, 7, 2, 0]
    assert draft.reminder_days_after == [1, 14]
    assert not CycleEvent.objects.exists()


def test_an_open_cycles_schedule_cannot_change(staff, db):
    cycle = make_cycle(2027, status="open")

    response = post(staff, "3", "1")

    assert response.status_code == 400
    page = response.content.decode()
    assert "its reminder schedule can only change before it opens" in page
    assert "Change the reminder schedule" not in page
    cycle.refresh_from_db()
    assert cycle.reminder_days_before == [28, 14, 7, 2, 0]
    assert not CycleEvent.objects.exists()


def test_the_service_refuses_what_the_form_would_let_through(staff_user, draft):
    with pytest.raises(CycleInvalid) as refused:
        cycle_reminder_schedule_set(
            cycle=draft, by=staff_user, reminder_days_before=[100, 7], reminder_days_after=[]
        )

    assert refused.value.problems == {
        "reminder_days_before": "Each number of days must be between 0 and 90: 100 is not.",
        "reminder_days_after": "Give at least one day.",
    }
    draft.refresh_from_db()
    assert draft.reminder_days_before == [28, 14, 7, 2, 0]


def test_an_unknown_cycle_is_a_404(staff):
    assert post(staff, "3", "1").status_code == 404
