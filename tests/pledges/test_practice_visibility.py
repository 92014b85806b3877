"""Practices leave the library and the public pages with their organisation (withdrawn or
suspended), and come back if it is reinstated: nothing is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledges.models import Practice, PracticeStatus
from signatories.choices import OrganisationStatus
from signatories.models import Organisation


def publish(organisation: Organisation, title: str) -> Practice:
    return Practice.objects.create(
        organisation=organisation,
        title=title,
        summary=f"{title} in short.",
        body=f"How {title} works.",
        topics=["culture"],
        status=PracticeStatus.PUBLISHED,
        is_public=True,
        published_at=timezone.now(),
    )


def leave_the_charter(organisation: Organisation, status: str) -> None:
    withdrawn_on = dt.date(2025, 7, 31) if status == OrganisationStatus.WITHDRAWN else None
    Organisation.objects.filter(pk=organisation.pk).update(status=status, withdrawn_on=withdrawn_on)


@pytest.fixture
def practices(acme_workspace, globex_workspace) -> tuple[Practice, Practice]:
    return publish(acme_workspace, "Acme mentoring"), publish(globex_workspace, "Globex returners")


@pytest.mark.parametrize("status", [OrganisationStatus.WITHDRAWN, OrganisationStatus.SUSPENDED])
def test_practices_of_an_organisation_off_the_charter_leave_the_members_library(
    client, charlie, practices, status, django_assert_num_queries
):
    acme_practice, globex_practice = practices
    leave_the_charter(acme_practice.organisation, status)
    client.force_login(charlie)

    # Session, user (with the staff check), memberships (with the switcher's), the practices.
    with django_assert_num_queries(4):
        library = client.get("/dashboard/globex/library/").content.decode()
    searched = client.get("/dashboard/globex/library/?q=mentoring").content.decode()
    detail = client.get(f"/dashboard/globex/library/{acme_practice.pk}/")

    assert "Globex returners" in library
    assert "Acme mentoring" not in library and "Acme mentoring" not in searched
    assert detail.status_code == 404
    assert client.get(f"/dashboard/globex/library/{globex_practice.pk}/").status_code == 200


@pytest.mark.parametrize("status", [OrganisationStatus.WITHDRAWN, OrganisationStatus.SUSPENDED])
def test_practices_of_an_organisation_off_the_charter_leave_the_public_pages(
    client, practices, status, django_assert_num_queries
):
    acme_practice, globex_practice = practices
    leave_the_charter(acme_practice.organisation, status)

    # The published public practices with their organisations, in one query.
    with django_assert_num_queries(1):
        listing = client.get("/practices/").content.decode()

    assert "Globex returners" in listing
    assert "Acme mentoring" not in listing
    assert client.get(f"/practices/{acme_practice.pk}/").status_code == 404
    assert client.get(f"/practices/{globex_practice.pk}/").status_code == 200


def test_a_reinstated_organisations_practices_come_back(client, practices):
    acme_practice, _ = practices
    leave_the_charter(acme_practice.organisation, OrganisationStatus.SUSPENDED)
    hidden = client.get("/practices/").content.decode()
    Organisation.objects.filter(pk=acme_practice.organisation.pk).update(
        status=OrganisationStatus.ACTIVE
    )

    shown = client.get("/practices/").content.decode()

    assert "Acme mentoring" not in hidden
    assert "Acme mentoring" in shown
    assert Practice.objects.filter(pk=acme_practice.pk).exists()
