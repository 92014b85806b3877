"""seed_demo's workspace step: teams, progress, evidence, actions, history and practices, once."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import transaction

from charter.models import User
from pledges.demo.teams import TWO_ORGANISATIONS_EMAIL
from pledges.demo.words import ACTIONS, EVIDENCE_NOTES, PRACTICES, RETURN_COMMENTS, SUMMARIES
from pledges.models import CommitmentChange, PledgeAction, PledgeCommitment, Practice
from signatories.demo.constants import DEMO_PASSWORD
from signatories.models import Invitation, Membership, Organisation


def seed(organisations: int = 60, seed: int = 1) -> str:
    out = io.StringIO()
    call_command("seed_demo", organisations=organisations, seed=seed, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed()


def demo_admin_organisations() -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user__email__startswith="admin@").order_by(
            "memberships__user_id"
        )
    )


def test_teams_have_two_to_four_members_who_can_log_in(seeded):
    sizes = Counter(Membership.objects.values_list("organisation_id", flat=True))
    teams = {pk: size for pk, size in sizes.items() if size > 1}
    assert teams and set(teams.values()) <= {2, 3, 4}
    assert len(set(teams.values())) > 1  # not all the same size
    for organisation in demo_admin_organisations():
        roles = Counter(organisation.memberships.values_list("role", flat=True))
        assert roles["editor"] >= 1 and roles["admin"] >= 1
    # Every team has an admin, and everyone in it has a verified address at its domain.
    for organisation in Organisation.objects.filter(pk__in=list(teams)):
        members = organisation.memberships.select_related("user")
        assert any(member.role == "admin" for member in members)
        for member in members:
            if member.user.email != TWO_ORGANISATIONS_EMAIL:
                assert member.user.email.endswith("@" + organisation.website_domain)
                assert member.user.full_name and " " in member.user.full_name
            assert member.user.emailaddress_set.get().verified
    editor = User.objects.filter(memberships__role="editor").first()
    assert check_password(DEMO_PASSWORD, editor.password)


def test_one_login_belongs_to_two_organisations_and_is_printed(seeded):
    first, second = demo_admin_organisations()[:2]
    consultant = User.objects.get(email=TWO_ORGANISATIONS_EMAIL)

    memberships = {
        membership.organisation: membership.role for membership in consultant.memberships.all()
    }

    assert memberships == {first: "editor", second: "admin"}
    assert check_password(DEMO_PASSWORD, consultant.password)
    assert consultant.emailaddress_set.get().verified
    [line] = [line for line in seeded.splitlines() if TWO_ORGANISATIONS_EMAIL in line]
    assert line.split(None, 1)[1] == (
        f"editor of {first.public_name} and admin of {second.public_name} (switches between them)"
    )
    # An editor of each demo admin's organisation is printed too.
    for organisation in demo_admin_organisations():
        editor = (
            organisation.memberships.filter(role="editor")
            .exclude(user=consultant)
            .order_by("user_id")
            .first()
        )
        [line] = [line for line in seeded.splitlines() if editor.user.email in line]
        assert line.split(None, 1)[1] == (
            f"editor of {organisation.public_name} (edits pledges, not the team or profile)"
        )


def test_progress_comes_with_evidence_actions_and_a_history_of_who_did_what(seeded):
    commitments = PledgeCommitment.objects.filter(pledge__code__in=list(ACTIONS))
    assert set(commitments.values_list("progress_status", flat=True)) == {
        "not_started",
        "in_progress",
        "embedded",
    }
    for commitment in commitments.exclude(progress_status="not_started").select_related(
        "pledge", "organisation"
    ):
        code, domain = commitment.pledge.code, commitment.organisation.website_domain
        assert commitment.progress_summary == SUMMARIES[commitment.progress_status][code]
        assert commitment.evidence_notes == EVIDENCE_NOTES[code]
        links = commitment.evidence_links.splitlines()
        assert len(links) == 2 and all(link.startswith(f"https://{domain}/") for link in links)
        assert 1 <= commitment.actions.count() <= 2
        for action in commitment.actions.all():
            assert (action.description, action.owner) in ACTIONS[code]
    # Every review names a member of the organisation; a version counts the edits before it.
    reviewed = commitments.filter(reviewed_at__isnull=False)
    assert reviewed.exists()
    assert not PledgeCommitment.objects.filter(reviewed_at__isnull=False, reviewed_by=None)
    for commitment in reviewed:
        assert Membership.objects.filter(
            organisation=commitment.organisation_id, user=commitment.reviewed_by
        ).exists()
        kinds = list(commitment.changes.values_list("kind", flat=True))
        assert kinds[0] == "reviewed" and kinds[-1] == "edited"
        assert set(kinds[1:-1]) == {"action_added"}
        edit = commitment.changes.get(kind="edited")
        assert edit.version == commitment.version == 2
        assert (
            Membership.objects.get(
                organisation=commitment.organisation_id, user=edit.changed_by
            ).role
            == "admin"
        )
        assert {item["field"] for item in edit.changes} == {
            "progress_status",
            "progress_summary",
            "evidence_notes",
            "evidence_links",
        }
        assert commitment.changes.get(kind="reviewed").changed_by == commitment.reviewed_by
    for commitment in PledgeCommitment.objects.all():
        assert commitment.version == 1 + commitment.changes.filter(kind="edited").count()
    added = CommitmentChange.objects.filter(kind="action_added").select_related("action")
    assert added and all(
        change.action.description == change.changes[0]["after"] for change in added
    )


def test_practices_come_in_every_state_and_reviews_name_the_reviewer(seeded):
    practices = Practice.objects.all()
    assert set(practices.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "published",
    }
    assert len(set(practices.values_list("title", flat=True))) > 1
    titles = {title for title, *_ in PRACTICES}
    staff = User.objects.get(email="staff@charter.example")
    for practice in practices:
        assert practice.title in titles
        assert (practice.reviewed_at is None) == (practice.reviewed_by is None)
        if practice.status in ("published", "returned"):
            assert practice.reviewed_by == staff
        if practice.status == "returned":
            assert practice.review_comment in RETURN_COMMENTS
        else:
            assert practice.review_comment == ""
        assert (practice.submitted_at is None) == (practice.status == "draft")
        assert (practice.published_at is None) == (practice.status != "published")


def workspaces() -> dict:
    """Everything the step wrote, keyed by what does not depend on the database's ids."""
    return {
        "teams": sorted(
            Membership.objects.values_list(
                "organisation__slug", "user__email", "user__full_name", "role"
            )
        ),
        "commitments": sorted(
            PledgeCommitment.objects.values_list(
                "organisation__slug",
                "pledge__code",
                "progress_status",
                "evidence_links",
                "version",
                "reviewed_by__email",
            )
        ),
        "actions": sorted(
            PledgeAction.objects.values_list(
                "commitment__organisation__slug", "description", "due_on", "created_by__email"
            )
        ),
        "practices": sorted(
            Practice.objects.values_list("organisation__slug", "title", "status", "anonymous")
        ),
        "history": sorted(
            CommitmentChange.objects.values_list(
                "commitment__organisation__slug", "kind", "changed_by__email"
            )
        ),
    }


def test_the_same_seed_gives_the_same_workspaces_and_another_seed_others(db):
    with transaction.atomic():
        seed(seed=1)
        first = workspaces()
        transaction.set_rollback(True)
    with transaction.atomic():
        seed(seed=2)
        other = workspaces()
        transaction.set_rollback(True)

    seed(seed=1)

    assert workspaces() == first
    assert other["teams"] != first["teams"]


def test_running_it_again_adds_nothing(seeded):
    before = workspaces()
    counts = (User.objects.count(), Invitation.objects.count())

    output = seed()

    assert "nothing created" in output
    assert workspaces() == before
    assert (User.objects.count(), Invitation.objects.count()) == counts
    assert TWO_ORGANISATIONS_EMAIL in output  # still listed among the logins
    assert "(logins that existed before this run were left unchanged)" in output
    assert "(logins that existed before" not in seeded
