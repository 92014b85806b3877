"""Changing the senior representative, and their answer from an emailed link."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail

from signatories.models import Representative

LINK = re.compile(r"http://\S+/dashboard/representative/answer/\S+/")
NEW = {
    "full_name": "Erin Exec",
    "job_title": "Chief People Officer",
    "email": "erin@acme.example",
    "consent_to_be_named": "on",
}


def name_erin(client, capture):
    with capture(execute=True):
        return client.post("/dashboard/acme-analytics/representative/", NEW)


def link(message) -> str:
    return LINK.search(message.body).group(0).removeprefix("http://127.0.0.1:8000")


def test_an_admin_names_a_new_representative_and_keeps_the_history(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    response = name_erin(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    current = Representative.objects.get(organisation=acme_workspace, ended_at__isnull=True)
    assert (current.full_name, current.named_by, current.confirmed_at) == ("Erin Exec", alice, None)
    dana = Representative.objects.get(full_name="Dana Director")
    assert dana.ended_at is not None
    assert mail.outbox[0].to == ["erin@acme.example"]
    page = client.get("/dashboard/acme-analytics/").content.decode()
    assert "Not confirmed yet" in page
    erin_row, dana_row = history_rows(client)
    assert erin_row.startswith("Erin Exec, Chief People Officer erin@acme.example")
    assert "by Alice Adams" in erin_row and erin_row.endswith("Not confirmed Current")
    assert dana_row.startswith("Dana Director") and "by Alice Adams" in dana_row
    assert not dana_row.endswith("Current")


def history_rows(client) -> list[str]:
    """The history table's rows, as text: representative, named, answer, until."""
    page = client.get("/dashboard/acme-analytics/representative/history/").content.decode()
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]


def test_the_history_records_who_named_whom_when_and_when_they_confirmed(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    Representative.objects.filter(full_name="Dana Director").update(
        named_at=dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)
    )
    client.force_login(alice)
    with time_machine.travel(dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        name_erin(client, django_capture_on_commit_callbacks)
    path = link(mail.outbox[0])
    with time_machine.travel(dt.datetime(2025, 2, 3, 11, tzinfo=dt.UTC), tick=False):
        client.post(path + "confirm/")
    with (
        time_machine.travel(dt.datetime(2025, 2, 20, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            "/dashboard/acme-analytics/representative/",
            {**NEW, "full_name": "Finn Founder", "email": "finn@acme.example"},
        )

    assert history_rows(client) == [
        "Finn Founder, Chief People Officer finn@acme.example "
        "20 Feb 2025 12:00 by Alice Adams Not confirmed Current",
        "Erin Exec, Chief People Officer erin@acme.example "
        "1 Feb 2025 10:00 by Alice Adams Confirmed 3 Feb 2025 20 Feb 2025",
        "Dana Director, Chief Technology Officer dana@acme.example "
        "10 Jan 2025 09:00 by Alice Adams Not confirmed 1 Feb 2025",
    ]
    erin = Representative.objects.get(full_name="Erin Exec")
    assert erin.named_by == alice
    assert erin.named_at == dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC)
    assert erin.confirmed_at == dt.datetime(2025, 2, 3, 11, tzinfo=dt.UTC)
    assert erin.ended_at == dt.datetime(2025, 2, 20, 12, tzinfo=dt.UTC)


def test_the_named_person_confirms_without_an_account_and_the_link_works_once(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    name_erin(client, django_capture_on_commit_callbacks)
    path = link(mail.outbox[0])
    client.logout()

    assert "I confirm" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "confirm/")

    assert response.status_code == 200
    assert "Thank you for confirming" in response.content.decode()
    erin = Representative.objects.get(full_name="Erin Exec")
    assert erin.confirmed_at is not None
    assert mail.outbox[-1].to == ["alice@acme.example"]  # the admins are told
    again = client.post(path + "decline/")
    assert again.status_code == 410
    assert "You confirmed this role" in again.content.decode()
    erin.refresh_from_db()
    assert erin.declined_at is None


def test_declining_is_recorded_and_shown_to_the_admins(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    name_erin(client, django_capture_on_commit_callbacks)
    path = link(mail.outbox[0])

    client.post(path + "decline/")

    assert Representative.objects.get(full_name="Erin Exec").declined_at is not None
    assert "declined the role" in client.get("/dashboard/acme-analytics/").content.decode()


def test_an_expired_or_replaced_link_says_so(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with time_machine.travel(dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC), tick=False):
        name_erin(client, django_capture_on_commit_callbacks)
    with time_machine.travel(dt.datetime(2025, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        name_erin(client, django_capture_on_commit_callbacks)  # named again: a new row
    first_link, second_link = link(mail.outbox[0]), link(mail.outbox[1])

    with time_machine.travel(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC), tick=False):
        replaced = client.get(first_link)
        assert client.get(second_link).status_code == 200
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        expired = client.post(second_link + "confirm/")

    assert replaced.status_code == 410
    assert "Someone else has since been named" in replaced.content.decode()
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert not Representative.objects.filter(confirmed_at__isnull=False).exists()


def test_bad_input_names_nobody(client, alice, acme_workspace):
    client.force_login(alice)

    response = client.post(
        "/dashboard/acme-analytics/representative/", {**NEW, "email": "nope", "full_name": ""}
    )

    assert response.status_code == 400
    assert Representative.objects.filter(organisation=acme_workspace).count() == 1
    assert mail.outbox == []


def test_an_admin_can_send_the_link_again(
    client, alice, acme_workspace, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/acme-analytics/representative/remind/")

    assert mail.outbox[0].to == ["dana@acme.example"]
