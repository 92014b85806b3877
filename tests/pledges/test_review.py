"""Staff review of returns with warnings: accept, query, exclude, include; each recorded."""

from __future__ import annotations

import pytest
from django.core import mail

from pledges.models import CycleEvent, ReturnQuery
from pledges.services import review
from signatories.services import ServiceError
from tests.pledges.review_data import JUMP_WARNING, submitted_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(acme, alice, open_cycle):
    return submitted_return(acme, open_cycle, by=alice, warnings=[JUMP_WARNING])


def test_accepting_marks_the_warnings_accepted_and_records_who(flagged, staff_user):
    review.return_accept(data_return=flagged, by=staff_user, note="Merger confirmed.")

    flagged.refresh_from_db()
    assert flagged.outlier_status == "accepted"
    event = CycleEvent.objects.get()
    assert (event.kind, event.organisation, event.by, event.reason) == (
        "accepted",
        flagged.organisation,
        staff_user,
        "Merger confirmed.",
    )


def test_a_return_without_warnings_cannot_be_accepted_or_queried(acme, open_cycle, staff_user):
    clean = submitted_return(acme, open_cycle)
    with pytest.raises(ServiceError):
        review.return_accept(data_return=clean, by=staff_user)
    with pytest.raises(ServiceError):
        review.return_query(data_return=clean, by=staff_user, message="Why?")
    assert not CycleEvent.objects.exists()


def test_querying_asks_the_admins_and_data_contact_without_any_figure(
    flagged, staff_user, django_capture_on_commit_callbacks
):
    acme = flagged.organisation
    acme.data_contact_email = "Data@Acme.example"
    acme.save()

    with django_capture_on_commit_callbacks(execute=True):
        query = review.return_query(
            data_return=flagged, by=staff_user, message="Can you confirm the 95?"
        )

    flagged.refresh_from_db()
    assert flagged.outlier_status == "queried"
    assert (query.message, query.asked_by, query.is_open) == (
        "Can you confirm the 95?",
        staff_user,
        True,
    )
    assert CycleEvent.objects.get().kind == "queried"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    # alice is the admin; bob, an editor, is not asked.
    assert sorted(email.to) == ["alice@acme.example", "data@acme.example"]
    assert f"/dashboard/{acme.slug}/data/2026/" in email.body
    assert "95" not in email.body and "40" not in email.body


def test_an_empty_question_is_refused_and_writes_nothing(flagged, staff_user):
    with pytest.raises(ServiceError):
        review.return_query(data_return=flagged, by=staff_user, message="  ")
    assert not ReturnQuery.objects.exists() and not CycleEvent.objects.exists()


def test_an_answered_return_can_be_accepted(flagged, staff_user, alice):
    review.return_query(data_return=flagged, by=staff_user, message="Confirm?")
    # The answer is written by the workspace room (pledges.services.queries); set it here.
    ReturnQuery.objects.update(answer="Yes.", answered_by=alice, answered_at=flagged.submitted_at)
    flagged.outlier_status = "answered"
    flagged.save()

    review.return_accept(data_return=flagged, by=staff_user)

    flagged.refresh_from_db()
    assert flagged.outlier_status == "accepted"


def test_excluding_and_including_need_a_reason_and_are_recorded(flagged, staff_user):
    with pytest.raises(ServiceError):
        review.return_exclude(data_return=flagged, by=staff_user, reason="")

    review.return_exclude(data_return=flagged, by=staff_user, reason="Figures are a guess.")
    flagged.refresh_from_db()
    assert flagged.excluded_from_report and flagged.exclusion_reason == "Figures are a guess."
    with pytest.raises(ServiceError):
        review.return_exclude(data_return=flagged, by=staff_user, reason="Again")

    review.return_include(data_return=flagged, by=staff_user, reason="They confirmed.")
    flagged.refresh_from_db()
    assert not flagged.excluded_from_report and flagged.exclusion_reason == ""
    assert list(CycleEvent.objects.order_by("id").values_list("kind", "reason")) == [
        ("excluded", "Figures are a guess."),
        ("included", "They confirmed."),
    ]
