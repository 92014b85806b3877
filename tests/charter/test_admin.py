"""Charter staff edit the pledges' wording in the Django admin without being superusers: the
"Charter staff" group holds the permissions (charter/migrations/0004_staff_group_edits_pledges.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from charter.models import Pledge
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEW_TITLE = "A senior, named and accountable representative"


@pytest.fixture
def staff_member(db):
    user = make_user("sam@charter.example", full_name="Sam Staff", is_staff=True)
    user.groups.add(Group.objects.get(name="Charter staff"))
    return user


def change_form_data(pledge: Pledge, **changes) -> dict:
    data = {
        "position": pledge.position,
        "title": pledge.title,
        "summary": pledge.summary,
        "body": pledge.body,
        "_save": "Save",
    }
    return {**data, **changes}


def test_a_staff_member_who_is_not_a_superuser_edits_a_pledge_title(client, staff_member):
    assert not staff_member.is_superuser
    pledge = Pledge.objects.get(code="people")
    client.force_login(staff_member)

    listing = client.get("/admin/charter/pledge/")
    assert listing.status_code == 200
    assert pledge.title in listing.content.decode()

    response = client.post(
        f"/admin/charter/pledge/{pledge.pk}/change/", change_form_data(pledge, title=NEW_TITLE)
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/charter/pledge/"
    pledge.refresh_from_db()
    assert pledge.title == NEW_TITLE
    assert pledge.code == "people"


def test_the_staff_group_may_neither_add_nor_delete_a_pledge(client, staff_member):
    pledge = Pledge.objects.get(code="data")
    client.force_login(staff_member)

    assert client.get("/admin/charter/pledge/add/").status_code == 403
    assert client.post(
        f"/admin/charter/pledge/{pledge.pk}/delete/", {"post": "yes"}
    ).status_code == (403)
    assert Pledge.objects.count() == 5


def test_a_staff_member_outside_the_group_cannot_edit_pledges(client):
    outsider = make_user("otto@charter.example", is_staff=True)
    pledge = Pledge.objects.get(code="people")
    client.force_login(outsider)

    response = client.post(
        f"/admin/charter/pledge/{pledge.pk}/change/", change_form_data(pledge, title=NEW_TITLE)
    )

    assert response.status_code == 403
    pledge.refresh_from_db()
    assert pledge.title != NEW_TITLE
