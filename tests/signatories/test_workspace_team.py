"""The team page: invitations by signed link, roles, removals, requests to join."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from signatories.choices import MemberRole
from signatories.models import Invitation, JoinRequest, Membership
from signatories.services import ServiceError
from signatories.services.team import membership_remove, membership_role_change
from tests.concurrency import run_concurrently
from tests.conftest import make_user

LINK = re.compile(r"http://\S+/dashboard/invitations/\S+/")


def invite(client, django_capture_on_commit_callbacks, email="dee@acme.example", role="editor"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/dashboard/acme-analytics/team/invite/", {"email": email, "role": role})


def link_in(message) -> str:
    return LINK.search(message.body).group(0).removeprefix("http://127.0.0.1:8000")


def test_an_admin_invites_a_colleague_who_accepts_once(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = invite(client, django_capture_on_commit_callbacks, role="admin")

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["dee@acme.example"]]
    assert "Acme Analytics" in mail.outbox[0].subject
    path = link_in(mail.outbox[0])

    dee = make_user("dee@acme.example", full_name="Dee Dev")
    client.force_login(dee)
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)

    assert response.status_code == 302
    assert response.url == "/dashboard/acme-analytics/"
    assert Membership.objects.get(user=dee).role == MemberRole.ADMIN
    assert Invitation.objects.get().accepted_by == dee

    reused = client.post(path)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()


def test_an_expired_invitation_says_so_and_whom_to_ask(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        invite(client, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])
    dee = make_user("dee@acme.example")
    client.force_login(dee)

    with time_machine.travel(dt.datetime(2025, 3, 9, 9, tzinfo=dt.UTC), tick=False):
        response = client.post(path)

    assert response.status_code == 410
    page = response.content.decode()
    assert "expired" in page
    assert "alice@acme.example" in page  # who can send a new one
    assert not Membership.objects.filter(user=dee).exists()


def test_a_tampered_link_is_not_valid(client, alice, acme_workspace):
    response = client.get("/dashboard/invitations/not-a-real-token/")

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_an_invitation_only_works_for_the_invited_address(
    client, alice, charlie, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    invite(client, django_capture_on_commit_callbacks)
    client.force_login(charlie)

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 400
    assert "sent to dee@acme.example" in response.content.decode()
    assert not Membership.objects.filter(user=charlie, organisation=acme_workspace).exists()


def test_an_anonymous_visitor_is_offered_to_log_in_or_sign_up(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    invite(client, django_capture_on_commit_callbacks)
    client.logout()

    page = client.get(link_in(mail.outbox[0])).content.decode()

    assert "/accounts/login/?next=" in page and "/accounts/signup/?next=" in page


def test_inviting_bad_input_or_a_member_again_changes_nothing(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    bad = invite(client, django_capture_on_commit_callbacks, email="not an email")
    member = invite(client, django_capture_on_commit_callbacks, email="BOB@acme.example")

    assert bad.status_code == 400 and "Enter a valid email address" in bad.content.decode()
    assert member.status_code == 400 and "already a member" in member.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_open_one(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    invite(client, django_capture_on_commit_callbacks)
    invite(client, django_capture_on_commit_callbacks)
    first_link = link_in(mail.outbox[0])
    client.force_login(make_user("dee@acme.example"))

    response = client.post(first_link)

    assert response.status_code == 410
    assert "replaced by a newer one" in response.content.decode()


def test_an_admin_changes_a_role_and_removes_a_member(client, alice, bob, acme_workspace):
    client.force_login(alice)
    bob_membership = Membership.objects.get(user=bob)

    client.post(
        f"/dashboard/acme-analytics/team/members/{bob_membership.pk}/role/", {"role": "admin"}
    )
    assert Membership.objects.get(user=bob).role == "admin"

    client.post(f"/dashboard/acme-analytics/team/members/{bob_membership.pk}/remove/")
    assert not Membership.objects.filter(user=bob).exists()


def test_the_last_admin_can_never_be_demoted_or_removed(client, alice, acme_workspace):
    client.force_login(alice)
    own = Membership.objects.get(user=alice)

    demoted = client.post(
        f"/dashboard/acme-analytics/team/members/{own.pk}/role/", {"role": "editor"}, follow=True
    )
    removed = client.post(f"/dashboard/acme-analytics/team/members/{own.pk}/remove/", follow=True)

    assert "the only admin" in demoted.content.decode()
    assert "the only admin" in removed.content.decode()
    assert Membership.objects.get(user=alice).role == "admin"


def test_the_service_refuses_to_remove_the_last_admin(alice, acme_workspace):
    own = Membership.objects.get(user=alice)
    with pytest.raises(ServiceError):
        membership_remove(membership=own, by=alice)
    with pytest.raises(ServiceError):
        membership_role_change(membership=own, by=alice, role="editor")


def test_one_of_two_admins_may_step_down(alice, bob, acme_workspace):
    bob_membership = Membership.objects.get(user=bob)
    membership_role_change(membership=bob_membership, by=alice, role="admin")

    membership_role_change(membership=Membership.objects.get(user=alice), by=bob, role="editor")

    with pytest.raises(ServiceError):
        membership_remove(membership=Membership.objects.get(user=bob), by=bob)


def test_admins_answer_requests_to_join_from_the_team_page(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    dee = make_user("dee@elsewhere.example")
    join_request = JoinRequest.objects.create(
        organisation=acme_workspace, user=dee, job_title="Recruiter"
    )
    client.force_login(alice)
    assert "dee@elsewhere.example" in client.get("/dashboard/acme-analytics/team/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dashboard/acme-analytics/team/requests/{join_request.pk}/accept/")

    assert Membership.objects.get(user=dee).role == "editor"
    assert mail.outbox[-1].to == ["dee@elsewhere.example"]


def test_an_editor_sees_the_team_but_not_the_controls(client, bob, acme_workspace):
    client.force_login(bob)

    page = client.get("/dashboard/acme-analytics/team/").content.decode()

    assert "alice@acme.example" in page
    assert "Invite a colleague" not in page and "Change role" not in page


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(require_postgres, alice, bob, acme):
    Membership.objects.filter(user=bob).update(role="admin")
    alice_membership = Membership.objects.get(user=alice)
    bob_membership = Membership.objects.get(user=bob)

    _, errors = run_concurrently(
        [
            lambda: membership_role_change(membership=bob_membership, by=alice, role="editor"),
            lambda: membership_role_change(membership=alice_membership, by=bob, role="editor"),
        ]
    )

    assert sum(error is None for error in errors) == 1
    assert all(isinstance(error, ServiceError) for error in errors if error is not None)
    assert Membership.objects.filter(organisation=acme, role="admin").count() == 1
