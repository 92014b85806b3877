"""Asking to join an organisation that already signed, and its admins' answer."""

from __future__ import annotations

import pytest
from django.core import mail

from signatories.choices import JoinRequestStatus, MemberRole
from signatories.models import JoinRequest, Membership
from signatories.services import ServiceError
from signatories.services.join_requests import (
    join_request_accept,
    join_request_create,
    join_request_refuse,
)


def test_asking_to_join_emails_the_organisations_admins(
    client, charlie, acme, django_capture_on_commit_callbacks
):
    client.force_login(charlie)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sign/join/acme-analytics/", {"job_title": "Engineer", "message": "Hi Alice"}
        )

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.organisation) == (charlie, acme)
    assert mail.outbox[-1].to == ["alice@acme.example"]  # admins only, not bob the editor
    assert "Hi Alice" in mail.outbox[-1].body
    assert "/dashboard/acme-analytics/team/" in mail.outbox[-1].body


def test_asking_twice_is_refused_with_a_message(charlie, acme):
    join_request_create(user=charlie, organisation=acme, job_title="Engineer")

    with pytest.raises(ServiceError, match="already asked"):
        join_request_create(user=charlie, organisation=acme, job_title="Engineer")


def test_members_cannot_ask_to_join_their_own_organisation(bob, acme):
    with pytest.raises(ServiceError, match="already a member"):
        join_request_create(user=bob, organisation=acme, job_title="Engineer")


def test_the_join_form_explains_bad_input(client, charlie, acme):
    client.force_login(charlie)

    response = client.post("/sign/join/acme-analytics/", {"job_title": ""})

    assert response.status_code == 400
    assert "Enter your job title." in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_an_admin_accepts_a_request_and_the_user_joins_as_editor(
    client, alice, charlie, acme, django_capture_on_commit_callbacks
):
    join_request = join_request_create(user=charlie, organisation=acme, job_title="Engineer")
    client.force_login(alice)

    listing = client.get("/dashboard/acme-analytics/team/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dashboard/acme-analytics/team/requests/{join_request.pk}/accept/")

    assert "charlie@globex.example" in listing
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.decided_by == alice
    assert Membership.objects.get(organisation=acme, user=charlie).role == MemberRole.EDITOR
    assert mail.outbox[-1].to == ["charlie@globex.example"]


def test_an_admin_refuses_a_request(alice, charlie, acme):
    join_request = join_request_create(user=charlie, organisation=acme, job_title="Engineer")

    join_request_refuse(join_request=join_request, by=alice)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED
    assert not Membership.objects.filter(organisation=acme, user=charlie).exists()
    with pytest.raises(ServiceError, match="already refused"):
        join_request_accept(join_request=join_request, by=alice)


def test_editors_and_outsiders_cannot_answer_requests(client, bob, charlie, acme, globex):
    outsider_request = join_request_create(user=charlie, organisation=acme, job_title="Engineer")

    with pytest.raises(ServiceError, match="Only the organisation's admins"):
        join_request_accept(join_request=outsider_request, by=bob)
    client.force_login(bob)  # an editor: the team's requests are for admins
    accept = f"/dashboard/acme-analytics/team/requests/{outsider_request.pk}/accept/"
    assert client.post(accept).status_code == 403
    client.force_login(charlie)  # admin of globex, not of acme: guessing acme's request ids
    guessed = f"/dashboard/globex/team/requests/{outsider_request.pk}/refuse/"
    assert client.post(guessed).status_code == 404
    assert client.post(accept).status_code == 404

    outsider_request.refresh_from_db()
    assert outsider_request.status == JoinRequestStatus.PENDING
