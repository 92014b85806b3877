"""The user of a logged-in request is read with the navigation's two flags (staff, member of a
signatory) in one query: the flags must still follow the database from one request to the next,
and the backends must still refuse what Django's refuse."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from charter.auth_backends import AuthenticationBackend, ModelBackend
from signatories.choices import MemberRole
from signatories.models import Membership
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

STAFF_LINK = "Staff workspace"
DASHBOARD_LINK = ">Dashboard</a>"


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_comes_with_both_flags_in_one_query(
    backend, staff_user, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = backend().get_user(staff_user.pk)

    assert (user, user._is_charter_staff, user._has_workspace) == (staff_user, True, False)


def test_staff_lose_the_staff_link_at_the_next_request_once_out_of_the_group(client, staff_user):
    client.force_login(staff_user)
    assert STAFF_LINK in client.get("/").content.decode()

    staff_user.groups.remove(Group.objects.get(name="Charter staff"))

    assert STAFF_LINK not in client.get("/").content.decode()


def test_a_new_member_gets_the_dashboard_link_at_the_next_request(client, charlie):
    client.force_login(charlie)
    assert DASHBOARD_LINK not in client.get("/").content.decode()

    organisation = make_organisation("Globex", number=7)
    Membership.objects.create(organisation=organisation, user=charlie, role=MemberRole.ADMIN)

    assert DASHBOARD_LINK in client.get("/").content.decode()


def test_a_deactivated_account_is_logged_out_at_the_next_request(client, alice):
    client.force_login(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert ModelBackend().get_user(alice.pk) is None
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_an_unknown_user_is_none():
    assert AuthenticationBackend().get_user(987654) is None
