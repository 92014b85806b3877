"""seed_demo's timestamps tell one story: nothing happens before what it follows, or in the
future. Every demo row is checked, across both apps."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from pledges.models import CommitmentChange, PledgeAction, PledgeCommitment, Practice
from signatories.choices import ApplicationEventKind, ApplicationStatus
from signatories.models import (
    Application,
    ApplicationEvent,
    Invitation,
    Membership,
    Organisation,
    Representative,
)

User = get_user_model()


@pytest.fixture
def seeded(db):
    before = timezone.now()
    call_command("seed_demo", organisations=40, seed=1, stdout=io.StringIO())
    return before, timezone.now()


def in_order(*moments) -> bool:
    present = [moment for moment in moments if moment is not None]
    return present == sorted(present)


def test_applications_are_started_then_submitted_then_decided(seeded):
    _, now = seeded
    applications = list(Application.objects.select_related("applicant", "organisation"))
    events = defaultdict(list)
    for event in ApplicationEvent.objects.order_by("id"):
        events[event.application_id].append(event)

    assert len(applications) > 10
    for application in applications:
        story = events[application.pk]
        times = [event.created_at for event in story]
        label = f"{application} ({application.status})"
        assert application.applicant.date_joined <= application.created_at, label
        assert in_order(application.created_at, application.submitted_at, application.decided_at)
        assert application.created_at <= application.updated_at <= now, label
        assert times == sorted(times), label  # the history reads forwards
        assert all(application.created_at <= moment <= now for moment in times), label
        if times:
            assert application.updated_at >= times[-1], label
        if application.submitted_at:
            assert story[0].kind == ApplicationEventKind.SUBMITTED, label
            assert story[0].created_at == application.submitted_at, label
        else:
            assert story == [], label
        if application.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            assert story[-1].created_at == application.decided_at, label
        if application.status == ApplicationStatus.APPROVED:
            assert application.decided_at == application.organisation.created_at, label


def test_organisations_representatives_and_commitments_follow_the_approval(seeded):
    _, now = seeded
    today = timezone.localdate()
    organisations = {o.pk: o for o in Organisation.objects.all()}

    for organisation in organisations.values():
        approved = organisation.created_at
        assert timezone.localtime(approved).date() == organisation.signed_on <= today
        assert approved <= organisation.updated_at <= now
        if organisation.withdrawn_on:
            assert organisation.signed_on <= organisation.withdrawn_on <= today
    for representative in Representative.objects.all():
        approved = organisations[representative.organisation_id].created_at
        assert representative.named_at <= approved  # named on the application
        assert in_order(representative.named_at, approved, representative.confirmed_at, now)
    for commitment in PledgeCommitment.objects.all():
        approved = organisations[commitment.organisation_id].created_at
        assert commitment.accepted_at == approved
        assert in_order(approved, commitment.reviewed_at, commitment.updated_at, now)


def test_people_join_before_they_act_and_after_the_organisation_exists(seeded):
    _, now = seeded
    organisations = {o.pk: o for o in Organisation.objects.all()}
    joined = {
        (m.organisation_id, m.user_id): m.created_at for m in Membership.objects.select_related()
    }
    users = {user.pk: user for user in User.objects.all()}

    assert joined
    for (organisation_id, user_id), created_at in joined.items():
        assert organisations[organisation_id].created_at <= created_at <= now
        assert users[user_id].date_joined <= created_at
    for invitation in Invitation.objects.all():
        assert organisations[invitation.organisation_id].created_at <= invitation.created_at <= now
    staff = User.objects.get(email="staff@charter.example")
    first_approval = min(o.created_at for o in organisations.values())
    assert staff.date_joined <= first_approval  # staff approved every one of them

    commitments = {c.pk: c for c in PledgeCommitment.objects.all()}
    actions = list(PledgeAction.objects.all())
    assert any(action.done_at for action in actions)
    for action in actions:
        commitment = commitments[action.commitment_id]
        assert in_order(commitment.accepted_at, action.created_at, action.done_at, now)
        assert action.created_at <= action.updated_at
        if action.created_by_id:
            assert joined[(commitment.organisation_id, action.created_by_id)] <= action.created_at

    changes = defaultdict(list)
    for change in CommitmentChange.objects.select_related("action").order_by("id"):
        changes[change.commitment_id].append(change)
    assert changes
    for commitment_id, history in changes.items():
        commitment = commitments[commitment_id]
        times = [change.changed_at for change in history]
        assert times == sorted(times)  # edit, then its actions, then the review
        assert commitment.accepted_at <= times[0] and times[-1] <= now
        for change in history:
            if change.changed_by_id:
                member_since = joined[(commitment.organisation_id, change.changed_by_id)]
                assert member_since <= change.changed_at
            if change.kind == "action_added":
                assert change.changed_at == change.action.created_at
            if change.kind == "reviewed":
                assert change.changed_at == commitment.reviewed_at

    practices = list(Practice.objects.all())
    assert {practice.status for practice in practices} >= {"submitted", "published", "returned"}
    for practice in practices:
        approved = organisations[practice.organisation_id].created_at
        assert in_order(approved, practice.created_at, practice.submitted_at, practice.reviewed_at)
        assert practice.published_at in (None, practice.reviewed_at)
        assert in_order(practice.created_at, practice.updated_at, now)
        if practice.created_by_id:
            assert joined[(practice.organisation_id, practice.created_by_id)] <= practice.created_at


def test_the_history_no_longer_reads_backwards_on_the_staff_review_page(seeded, client):
    # The report: "started" today, "submitted" days earlier, for 13 of 15 applications.
    client.force_login(User.objects.get(email="staff@charter.example"))
    application = Application.objects.filter(status=ApplicationStatus.REJECTED).first()

    page = client.get(f"/staff/applications/{application.pk}/").content.decode()

    started = timezone.localtime(application.created_at).strftime("%-d %b %Y")
    submitted = timezone.localtime(application.submitted_at).strftime("%-d %b %Y")
    assert f"{started}, " in page and f"{submitted}, " in page
    assert application.created_at < application.submitted_at
