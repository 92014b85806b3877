"""The facet counts PostgreSQL's triggers keep (DirectoryFacetCount) equal a count of the rows
after every kind of change, and the unfiltered directory shows them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection

from signatories.choices import OrganisationStatus
from signatories.directory.facet_counts import TOTAL
from signatories.models import DirectoryFacetCount, Organisation
from signatories.selectors import public_signatories
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

COLUMNS = {"sector": "sector", "size": "size_band", "region": "region", "type": "organisation_type"}


def stored() -> dict[tuple[str, str], int]:
    return {
        (row.dimension, row.code): row.count
        for row in DirectoryFacetCount.objects.all()
        if row.count
    }


def counted() -> dict[tuple[str, str], int]:
    expected: dict[tuple[str, str], int] = {}
    for organisation in public_signatories():
        cells = [(dimension, getattr(organisation, name)) for dimension, name in COLUMNS.items()]
        cells += [("year", str(organisation.signed_on.year)), (TOTAL, "")]
        for cell in cells:
            expected[cell] = expected.get(cell, 0) + 1
    return expected


def test_the_counts_follow_inserts_updates_status_changes_and_deletes(require_postgres):
    acme = make_organisation("Acme", number=1)
    globex = make_organisation("Globex", number=2, sector="finance", region="scotland")
    Organisation.objects.bulk_create(
        [
            Organisation(
                legal_name=f"Bulk {n} Ltd",
                public_name=f"Bulk {n}",
                slug=f"bulk-{n}",
                website=f"https://bulk-{n}.example",
                website_domain=f"bulk-{n}.example",
                organisation_type="charity",
                sector="health",
                size_band="1-9",
                region="wales",
                signatory_number=10 + n,
                signed_on=dt.date(2020 + n % 3, 5, 1),
            )
            for n in range(30)
        ]
    )
    assert stored() == counted()
    assert stored()[(TOTAL, "")] == 32

    globex.sector = "retail"
    globex.signed_on = dt.date(2019, 1, 1)
    globex.save()
    assert stored() == counted()

    Organisation.objects.filter(region="wales", signatory_number__lt=20).update(
        status=OrganisationStatus.SUSPENDED
    )
    assert stored() == counted()
    assert stored()[(TOTAL, "")] == 22

    acme.status = OrganisationStatus.WITHDRAWN
    acme.withdrawn_on = dt.date(2025, 1, 1)
    acme.save()
    Organisation.objects.filter(signatory_number__gte=35).delete()
    assert stored() == counted()
    assert stored()[(TOTAL, "")] == 16


def test_truncating_the_organisations_empties_the_counts(require_postgres):
    make_organisation("Acme", number=1)

    with connection.cursor() as cursor:
        # The insert's deferred foreign-key checks must run before a TRUNCATE may.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {Organisation._meta.db_table} CASCADE")

    assert stored() == {}


def test_the_unfiltered_directory_shows_the_kept_counts_and_a_filtered_one_counts_rows(
    client, require_postgres
):
    make_organisation("Acme", number=1)
    make_organisation("Globex", number=2, sector="finance")
    make_organisation("Hooli", number=3, status=OrganisationStatus.SUSPENDED)

    html = client.get("/signatories/").content.decode()
    assert re.search(r'id="count-sector-0">\(1\)', html)  # software: Acme (Hooli is suspended)
    assert re.search(r'id="count-sector-2">\(1\)', html)  # finance: Globex
    assert "2 signatories" in html

    filtered = client.get("/signatories/?sector=finance").content.decode()
    assert "1 signatory found" in filtered
    assert re.search(r'id="count-sector-0">\(1\)', filtered)
