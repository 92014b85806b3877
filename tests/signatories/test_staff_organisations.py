"""Staff's list of organisations: status, representative confirmation and data contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from signatories.models import Representative
from tests.conftest import make_organisation

URL = "/staff/organisations/"


def name_representative(organisation, name: str, **fields) -> Representative:
    return Representative.objects.create(
        organisation=organisation,
        full_name=name,
        job_title="Chief Executive",
        email=f"{name.split()[0].lower()}@{organisation.slug}.example",
        named_at=fields.pop("named_at", timezone.now()),
        **fields,
    )


@pytest.fixture
def initech(db):
    organisation = make_organisation(
        "Initech", number=3, data_contact_name="Dee Data", data_contact_email="dee@initech.example"
    )
    name_representative(
        organisation,
        "Ivy Irving",
        named_at=timezone.now() - dt.timedelta(days=40),
        confirmed_at=timezone.now() - dt.timedelta(days=30),
    )
    return organisation


@pytest.fixture
def hooli(db):
    organisation = make_organisation(
        "Hooli",
        number=4,
        status="withdrawn",
        withdrawn_on=dt.date(2025, 6, 1),
        signed_on=dt.date(2021, 5, 4),
    )
    # An earlier representative who ended, then one who declined.
    name_representative(
        organisation,
        "Old Owen",
        named_at=timezone.now() - dt.timedelta(days=900),
        ended_at=timezone.now() - dt.timedelta(days=10),
    )
    name_representative(
        organisation,
        "Harry Hale",
        named_at=timezone.now() - dt.timedelta(days=10),
        declined_at=dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC),
    )
    return organisation


def rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(row.split()) for row in body.split("</tr>")[:-1]]


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/staff/organisations/"


def test_signatories_are_refused(client, alice, acme):
    client.force_login(alice)

    assert client.get(URL).status_code == 403


def test_staff_see_each_representatives_state_and_the_data_contact(
    client, staff_user, acme, globex, initech, hooli
):
    client.force_login(staff_user)

    response = client.get(URL)

    assert response.status_code == 200
    acme_row, globex_row, initech_row, hooli_row = rows(response.content.decode())
    named = timezone.localdate().strftime("%-d %b %Y")
    assert acme_row.startswith("<tr> <td>1</td>") and "Acme Analytics" in acme_row
    assert "Dana Director" in acme_row and f"Awaiting confirmation since {named}" in acme_row
    assert "None named" in globex_row
    confirmed = (timezone.localdate() - dt.timedelta(days=30)).strftime("%-d %b %Y")
    assert "Ivy Irving" in initech_row and f"Confirmed on {confirmed}" in initech_row
    assert "Withdrawn" in hooli_row and "on 1 Jun 2025" in hooli_row and "4 May 2021" in hooli_row
    assert "Harry Hale" in hooli_row and "Declined on 15 Jan 2026" in hooli_row
    assert "Old Owen" not in hooli_row
    assert '<td><span class="tag tag--warning">None</span></td>' in acme_row
    assert "<td>Yes</td>" in initech_row
    # The status change column links to suspending an active organisation; a withdrawn one has
    # none. The last column links to the organisation's reminders, whatever its status.
    assert (
        f'/staff/organisations/{acme.pk}/suspend/">Suspend'
        '<span class="visually-hidden"> Acme Analytics</span></a></td>'
    ) in acme_row
    assert "<td></td>" in hooli_row
    for row, organisation in [(acme_row, acme), (hooli_row, hooli)]:
        assert row.endswith(
            f'<td><a href="/staff/data/organisations/{organisation.slug}/reminders/">Reminders'
            f'<span class="visually-hidden"> to {organisation.public_name}</span></a></td>'
        )


def test_staff_filter_by_status_and_search_by_name(client, staff_user, acme, globex, hooli):
    client.force_login(staff_user)

    withdrawn = client.get(URL, {"status": "withdrawn"}).content.decode()
    searched = client.get(URL, {"q": "glob"}).content.decode()
    both = client.get(URL, {"status": "active", "q": "hooli"}).content.decode()

    assert [("Hooli" in row) for row in rows(withdrawn)] == [True]
    assert [("Globex" in row) for row in rows(searched)] == [True]
    assert "No organisation matches “hooli” with this status." in both


def test_staff_search_names_as_the_directory_does(client, staff_user, acme, globex):
    make_organisation("Société Générale Tech", number=9, slug="societe-generale-tech")
    client.force_login(staff_user)

    accented = client.get(URL, {"q": "societe"}).content.decode()
    two_words = client.get(URL, {"q": "generale soc"}).content.decode()

    assert [("Société Générale Tech" in row) for row in rows(accented)] == [True]
    assert [("Société Générale Tech" in row) for row in rows(two_words)] == [True]


def test_an_unknown_status_is_refused_and_the_search_kept(client, staff_user, acme, globex):
    client.force_login(staff_user)

    response = client.get(URL, {"status": "deleted", "q": "acme"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a status from the list: deleted is not one." in page
    assert 'value="acme"' in page
    assert [("Acme" in row) for row in rows(page)] == [True]


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    client, staff_user, django_assert_num_queries
):
    for number in range(1, 61):
        organisation = make_organisation(f"Org {number:02d}", number=number)
        name_representative(organisation, f"Rep{number} Person")
    client.force_login(staff_user)
    client.get(URL)  # warm the session

    # session, user (with the staff group), authenticator (staff pages need one), count, page,
    # representatives of the page
    with django_assert_num_queries(6):
        first = client.get(URL).content.decode()
    with django_assert_num_queries(6):
        second = client.get(URL, {"page": 2}).content.decode()

    assert len(rows(first)) == 50 and "Org 01" in rows(first)[0]
    assert len(rows(second)) == 10 and "Org 60" in rows(second)[-1]
    assert "Page 2 of 2" in second and "Rep60 Person" in second
