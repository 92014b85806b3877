"""The five pledges: created by migration charter/0002, reworded by staff in the admin, never
added or deleted there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from charter.models import Pledge
from tests.conftest import make_user

PLEDGE_CODES_IN_ORDER = ["people", "plan", "policies", "practice", "data"]


@pytest.fixture
def superuser_client(client, db):
    root = make_user("root@charter.example", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


@pytest.mark.django_db
def test_it_creates_exactly_the_five_pledges_in_order():
    pledges = list(Pledge.objects.order_by("position"))

    assert [(pledge.position, pledge.code) for pledge in pledges] == list(
        enumerate(PLEDGE_CODES_IN_ORDER, start=1)
    )
    for pledge in pledges:
        assert pledge.title.strip()
        assert pledge.summary.strip()
        assert len(pledge.body) > len(pledge.summary)


@pytest.mark.django_db
def test_it_gives_every_pledge_a_different_title():
    titles = list(Pledge.objects.values_list("title", flat=True))

    assert len(set(titles)) == 5


def test_it_lists_the_pledges_in_the_admin_for_staff(superuser_client):
    response = superuser_client.get("/admin/charter/pledge/")

    assert response.status_code == 200
    for pledge in Pledge.objects.all():
        assert pledge.title in response.content.decode()


def test_it_keeps_the_admin_closed_to_people_who_are_not_staff(client, alice):
    client.force_login(alice)

    response = client.get("/admin/charter/pledge/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_saves_a_title_edited_in_the_admin(superuser_client):
    pledge = Pledge.objects.get(code="data")

    response = superuser_client.post(
        f"/admin/charter/pledge/{pledge.pk}/change/",
        {
            "position": pledge.position,
            "title": "Sharing diversity data every year",
            "summary": pledge.summary,
            "body": pledge.body,
            # code is read-only in the admin: a forged value must be ignored.
            "code": "forged",
        },
    )

    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.title == "Sharing diversity data every year"
    assert pledge.code == "data"
    assert Pledge.objects.count() == 5


def test_it_refuses_to_add_a_pledge_in_the_admin(superuser_client):
    assert superuser_client.get("/admin/charter/pledge/add/").status_code == 403

    response = superuser_client.post(
        "/admin/charter/pledge/add/",
        {"code": "people", "position": 6, "title": "A sixth pledge", "summary": "x", "body": "x"},
    )

    assert response.status_code == 403
    assert Pledge.objects.count() == 5


def test_it_refuses_to_delete_a_pledge_in_the_admin(superuser_client):
    pledge = Pledge.objects.get(code="people")

    assert superuser_client.get(f"/admin/charter/pledge/{pledge.pk}/delete/").status_code == 403
    response = superuser_client.post(f"/admin/charter/pledge/{pledge.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Pledge.objects.filter(pk=pledge.pk).exists()


def test_it_offers_no_bulk_delete_in_the_admin_list(superuser_client):
    pledges = list(Pledge.objects.values_list("pk", flat=True))

    response = superuser_client.post(
        "/admin/charter/pledge/",
        {"action": "delete_selected", "_selected_action": pledges, "post": "yes"},
    )

    assert response.status_code == 200
    assert Pledge.objects.count() == 5
    assert b"delete_selected" not in superuser_client.get("/admin/charter/pledge/").content


# serialized_rollback puts the migrations' rows (the pledges, the staff group) back after this
# test, which empties every table as transactional tests do: later tests still see five pledges.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_removes_the_pledges_when_migrated_back_and_recreates_them_going_forward():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    executor.migrate([("charter", "0001_initial")])
    old_apps = MigrationExecutor(connection).loader.project_state(("charter", "0001_initial")).apps
    pledges_at_0001 = old_apps.get_model("charter", "Pledge").objects.count()

    forward = MigrationExecutor(connection)
    forward.migrate(latest)

    assert pledges_at_0001 == 0
    assert list(Pledge.objects.order_by("position").values_list("code", flat=True)) == (
        PLEDGE_CODES_IN_ORDER
    )
    assert not MigrationExecutor(connection).migration_plan(latest)
