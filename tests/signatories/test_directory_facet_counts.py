"""The facet counts PostgreSQL's triggers keep (DirectoryFacetCount, and the data cube
DirectoryFacetCell) equal a count of the rows after every kind of change; the unfiltered
directory shows them, and a filtered or searched one's grouped counts equal a recount."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict

from signatories.choices import OrganisationStatus
from signatories.directory import parse_params
from signatories.directory.facet_counts import TOTAL
from signatories.directory.pages import (
    _aggregated_counts,
    _grouped_counts,
    directory_page,
)
from signatories.models import (
    DirectoryFacetCell,
    DirectoryFacetCount,
    DirectorySearchEntry,
    Organisation,
)
from signatories.search import fold
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


def stored_cells() -> dict[tuple, int]:
    return {
        (cell.sector, cell.size_band, cell.region, cell.organisation_type, cell.year): cell.count
        for cell in DirectoryFacetCell.objects.all()
        if cell.count
    }


def counted_cells() -> dict[tuple, int]:
    expected: dict[tuple, int] = {}
    for o in public_signatories():
        key = (o.sector, o.size_band, o.region, o.organisation_type, o.signed_on.year)
        expected[key] = expected.get(key, 0) + 1
    return expected


def stored_entries() -> set[tuple]:
    return set(
        DirectorySearchEntry.objects.values_list(
            "organisation_id",
            "search_text",
            "sector",
            "size_band",
            "region",
            "organisation_type",
            "year",
        )
    )


def counted_entries() -> set[tuple]:
    return {
        (
            o.pk,
            fold(f"{o.public_name} {o.legal_name}"),
            o.sector,
            o.size_band,
            o.region,
            o.organisation_type,
            o.signed_on.year,
        )
        for o in public_signatories()
    }


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
    assert stored_cells() == counted_cells()
    assert stored_entries() == counted_entries()
    assert stored()[(TOTAL, "")] == 32

    globex.sector = "retail"
    globex.public_name = "Globex Société"
    globex.signed_on = dt.date(2019, 1, 1)
    globex.save()
    assert stored() == counted()
    assert stored_cells() == counted_cells()
    assert stored_entries() == counted_entries()

    Organisation.objects.filter(region="wales", signatory_number__lt=20).update(
        status=OrganisationStatus.SUSPENDED
    )
    assert stored() == counted()
    assert stored_cells() == counted_cells()
    assert stored_entries() == counted_entries()
    assert stored()[(TOTAL, "")] == 22

    acme.status = OrganisationStatus.WITHDRAWN
    acme.withdrawn_on = dt.date(2025, 1, 1)
    acme.save()
    Organisation.objects.filter(signatory_number__gte=35).delete()
    assert stored() == counted()
    assert stored_cells() == counted_cells()
    assert stored_entries() == counted_entries()
    assert stored()[(TOTAL, "")] == 16


def test_truncating_the_organisations_empties_the_counts(require_postgres):
    make_organisation("Acme", number=1)

    with connection.cursor() as cursor:
        # The insert's deferred foreign-key checks must run before a TRUNCATE may.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {Organisation._meta.db_table} CASCADE")

    assert stored() == {}
    assert stored_cells() == {}
    assert stored_entries() == set()


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


def recount(query: str) -> dict[tuple[str, str], int]:
    """Each facet value's count with every *other* filter applied, and the total, counted in
    Python from the rows: what the directory's facet counts mean."""
    params, errors = parse_params(QueryDict(query))
    assert not errors
    values = {
        "sector": lambda o: o.sector,
        "size": lambda o: o.size_band,
        "region": lambda o: o.region,
        "type": lambda o: o.organisation_type,
        "year": lambda o: str(o.signed_on.year),
    }
    words = [fold(word) for word in params.q.split()]
    counts: dict[tuple[str, str], int] = {}
    for o in public_signatories():
        if not all(word in fold(f"{o.public_name} {o.legal_name}") for word in words):
            continue
        failed = [
            param
            for param, value in values.items()
            if params.selected(param) and value(o) not in params.selected(param)
        ]
        for param, value in values.items():
            if not failed or failed == [param]:
                counts[(param, value(o))] = counts.get((param, value(o)), 0) + 1
        if not failed:
            counts[(TOTAL, "")] = counts.get((TOTAL, ""), 0) + 1
    return counts


def nonzero(counts: dict) -> dict:
    return {key: count for key, count in counts.items() if count}


QUERIES = [
    "sector=finance",
    "region=wales",
    "region=wales&size=1-9",
    "sector=software&sector=finance&region=london&type=employer&year=2024",
    "year=2020&year=2022&size=1-9",
    "sector=energy&region=scotland",  # nobody: every count but the facets' own is 0
    "q=bulk",
    "q=bulk+1",
    "q=acme&sector=software",
    "q=ltd&region=wales&size=1-9&year=2021",
    "q=nobody",
    "q=societe",
    "q=SOCI%C3%89T%C3%89&region=scotland",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filtered_and_searched_counts_equal_a_recount(require_postgres, query):
    make_organisation("Acme", number=1)
    make_organisation("Acme Wales", number=2, region="wales", size_band="1-9")
    make_organisation("Globex", number=3, sector="finance", region="scotland")
    make_organisation("Société Générale", number=5, slug="societe", region="scotland")
    make_organisation("Hooli", number=4, status=OrganisationStatus.SUSPENDED, region="wales")
    Organisation.objects.bulk_create(
        [
            Organisation(
                legal_name=f"Bulk {n} Ltd",
                public_name=f"Bulk {n}",
                slug=f"bulk-{n}",
                website=f"https://bulk-{n}.example",
                website_domain=f"bulk-{n}.example",
                organisation_type=("charity", "employer")[n % 2],
                sector=("health", "finance", "software")[n % 3],
                size_band=("1-9", "10-49")[n % 2],
                region=("wales", "london", "scotland", "east")[n % 4],
                signatory_number=10 + n,
                signed_on=dt.date(2020 + n % 5, 5, 1),
            )
            for n in range(40)
        ]
    )
    params, _ = parse_params(QueryDict(query))
    years = [str(year) for year in range(2020, dt.date.today().year + 1)]

    grouped = nonzero(_grouped_counts(params))
    assert grouped == recount(query)
    # The conditional aggregate, what SQLite runs, agrees too.
    assert grouped == nonzero(_aggregated_counts(params, years))

    page = directory_page(params)
    assert page.count == grouped.get((TOTAL, ""), 0)
    shown = {
        (facet.dimension.param, value.code): value.count
        for facet in page.facets
        for value in facet.values
    }
    assert nonzero(shown) == {key: n for key, n in grouped.items() if key[0] != TOTAL}
