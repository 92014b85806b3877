"""Editing a pledge: history of every save, refusal of concurrent saves, actions, review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledges.models import CommitmentChange, PledgeAction, PledgeCommitment
from pledges.services.commitments import (
    ActionConflict,
    CommitmentConflict,
    action_add,
    action_update,
    commitment_update,
)

URL = "/dashboard/acme-analytics/pledges/plan/"


def form(version: int, **overrides) -> dict:
    return {
        "public_statement": "Every shortlist has a woman on it.",
        "progress_status": "in_progress",
        "progress_summary": "Half our shortlists so far.",
        "evidence_notes": "Recruitment report, Q1.",
        "evidence_links": "https://intranet.acme.example/report",
        "version": version,
        **overrides,
    }


@pytest.fixture
def plan(acme_workspace) -> PledgeCommitment:
    return PledgeCommitment.objects.get(organisation=acme_workspace, pledge__code="plan")


def test_a_save_keeps_the_previous_values_in_the_history(client, bob, plan):
    client.force_login(bob)

    response = client.post(URL, form(1))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.version, plan.progress_status) == (2, "in_progress")
    change = CommitmentChange.objects.get(commitment=plan)
    assert change.changed_by == bob and change.version == 2
    status = next(item for item in change.changes if item["field"] == "progress_status")
    assert (status["before"], status["after"]) == ("Not started", "In progress")
    history = client.get(URL + "history/").content.decode()
    assert "Bob Brown" in history and "Not started" in history


def test_the_second_of_two_concurrent_saves_is_refused_and_shows_what_changed(
    client, alice, bob, plan
):
    # Both open version 1; alice saves first.
    client.force_login(alice)
    client.post(URL, form(1, public_statement="Alice's statement"))
    client.force_login(bob)

    response = client.post(URL, form(1, public_statement="Bob's statement"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this pledge" in page
    assert "Alice Adams" in page and "Alice&#x27;s statement" in page
    assert "Bob&#x27;s statement" in page  # bob's text is kept in the form
    assert 'name="version" value="2"' in page  # saving again is now a deliberate choice
    plan.refresh_from_db()
    assert plan.public_statement == "Alice's statement"


def test_the_service_refuses_a_stale_version(alice, bob, plan):
    commitment_update(commitment=plan, by=alice, data={"public_statement": "One"}, version=1)

    with pytest.raises(CommitmentConflict) as refused:
        commitment_update(commitment=plan, by=bob, data={"public_statement": "Two"}, version=1)

    assert [change.changed_by for change in refused.value.changes] == [alice]
    plan.refresh_from_db()
    assert (plan.public_statement, plan.version) == ("One", 2)


def test_bad_input_is_refused_and_nothing_is_saved(client, bob, plan):
    client.force_login(bob)

    response = client.post(URL, form(1, progress_status="finished", evidence_links="not a link"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "not web addresses" in page and "Select a valid choice" in page
    plan.refresh_from_db()
    assert (plan.version, plan.public_statement) == (1, "")
    assert not CommitmentChange.objects.exists()


def test_people_and_data_are_not_edited_as_pledges(client, alice, acme_workspace):
    client.force_login(alice)

    assert client.get("/dashboard/acme-analytics/pledges/people/").status_code == 404
    assert client.get("/dashboard/acme-analytics/pledges/data/").status_code == 404


def test_the_review_button_records_who_and_when(client, bob, plan):
    client.force_login(bob)

    client.post(URL + "review/")

    plan.refresh_from_db()
    assert plan.reviewed_by == bob and plan.reviewed_at is not None
    assert "Reviewed by Bob Brown" in client.get(URL).content.decode()


def test_an_action_due_in_the_past_is_allowed_but_flagged(client, bob, plan):
    client.force_login(bob)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        URL + "actions/new/",
        {"description": "Rewrite job adverts", "owner": "Bob", "due_on": yesterday.isoformat()},
        follow=True,
    )

    assert "due date is in the past" in response.content.decode()
    assert "Overdue" in response.content.decode()
    action = PledgeAction.objects.get()
    assert action.is_overdue
    assert "1 overdue action" in client.get("/dashboard/acme-analytics/").content.decode()


def test_an_action_is_edited_and_marked_done_with_history(client, bob, plan):
    action = PledgeAction.objects.create(commitment=plan, description="Audit adverts")
    client.force_login(bob)

    response = client.post(
        URL + f"actions/{action.pk}/",
        {"description": "Audit adverts", "owner": "Bob", "due_on": "", "done": "on", "version": 1},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done and action.owner == "Bob"
    assert CommitmentChange.objects.get().kind == "action_changed"


def test_an_action_without_a_description_is_refused(client, bob, plan):
    client.force_login(bob)

    response = client.post(URL + "actions/new/", {"description": "", "due_on": "31/02/2025"})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not PledgeAction.objects.exists()


def test_a_save_that_changes_nothing_keeps_the_version_and_writes_no_history(
    client, alice, bob, plan
):
    commitment_update(commitment=plan, by=alice, data={"public_statement": "One"}, version=1)

    unchanged = commitment_update(
        commitment=plan, by=alice, data={"public_statement": "One"}, version=2
    )

    assert unchanged.version == 2
    assert CommitmentChange.objects.filter(commitment=plan).count() == 1
    # So the next editor, who opened version 2, is not refused with an empty list of changes.
    client.force_login(bob)
    response = client.post(URL, form(2, public_statement="Bob's statement"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.public_statement, plan.version) == ("Bob's statement", 3)


def test_posting_the_form_unchanged_saves_nothing(client, bob, plan):
    client.force_login(bob)
    client.post(URL, form(1))
    plan.refresh_from_db()
    assert plan.version == 2

    response = client.post(URL, form(2))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    assert CommitmentChange.objects.filter(commitment=plan).count() == 1


def action_form(version: int, **overrides) -> dict:
    return {
        "description": "Audit job adverts",
        "owner": "",
        "due_on": "2030-01-31",
        "version": version,
        **overrides,
    }


@pytest.fixture
def audit(alice, plan) -> PledgeAction:
    return action_add(
        commitment=plan, by=alice, description="Audit job adverts", due_on=dt.date(2030, 1, 31)
    )


def test_the_service_refuses_a_stale_action_save_and_lists_the_other_change(alice, bob, audit):
    action_update(
        action=audit,
        by=alice,
        description="Audit job adverts",
        owner="Alice",
        due_on=dt.date(2030, 1, 31),
        done=False,
        version=1,
    )

    with pytest.raises(ActionConflict) as refused:
        action_update(
            action=audit,
            by=bob,
            description="Audit every advert",
            owner="",
            due_on=dt.date(2030, 1, 31),
            done=True,
            version=1,
        )

    [change] = refused.value.changes
    assert change.changed_by == alice
    assert [(item["field"], item["before"], item["after"]) for item in change.changes] == [
        ("owner", "", "Alice")
    ]
    assert refused.value.current.version == 2
    audit.refresh_from_db()
    assert (audit.description, audit.owner, audit.is_done, audit.version) == (
        "Audit job adverts",
        "Alice",
        False,
        2,
    )
    assert CommitmentChange.objects.filter(action=audit, kind="action_changed").count() == 1


def test_an_action_save_that_changes_nothing_keeps_its_version(alice, audit):
    saved = action_update(
        action=audit,
        by=alice,
        description=" Audit job adverts ",
        owner="",
        due_on=dt.date(2030, 1, 31),
        done=False,
        version=1,
    )

    assert saved.version == 1
    assert not CommitmentChange.objects.filter(kind="action_changed").exists()


def test_the_second_of_two_concurrent_action_saves_is_refused_and_keeps_the_typing(
    client, alice, bob, audit
):
    url = URL + f"actions/{audit.pk}/"
    client.force_login(alice)
    assert client.post(url, action_form(1, owner="Alice Adams")).status_code == 302
    client.force_login(bob)

    response = client.post(url, action_form(1, description="Audit every advert", done="on"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this action first" in page
    assert "by Alice Adams" in page and "Now: Alice Adams" in page
    assert 'value="Audit every advert"' in page  # bob's text is kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    audit.refresh_from_db()
    assert (audit.description, audit.owner, audit.is_done) == (
        "Audit job adverts",
        "Alice Adams",
        False,
    )

    # Saving again, from the version bob has now seen, goes through.
    again = client.post(url, action_form(2, description="Audit every advert", done="on"))

    assert again.status_code == 302
    audit.refresh_from_db()
    assert (audit.description, audit.is_done, audit.version) == ("Audit every advert", True, 3)


def test_an_action_edit_without_its_version_is_refused(client, bob, audit):
    client.force_login(bob)

    response = client.post(URL + f"actions/{audit.pk}/", {**action_form(1), "version": ""})

    assert response.status_code == 400
    audit.refresh_from_db()
    assert audit.version == 1 and audit.owner == ""
