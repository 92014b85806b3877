"""The public directory (/signatories/): search, filters, facets, sorting, pages, bad input,
conditional GET, caching, htmx fragments, and the query budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from signatories.choices import OrganisationStatus
from signatories.directory import directory_page, directory_queryset, parse_params
from signatories.models import Organisation
from signatories.search import fold
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    params, errors = parse_params(QueryDict(query))
    assert not errors, errors
    return list(directory_queryset(params).values_list("public_name", flat=True))


def result_count(response) -> str:
    match = re.search(r'data-testid="result-count">\s*([^<]+?)\s*</h2>', response.content.decode())
    assert match, "no result count on the page"
    return match.group(1)


def listed(response) -> list[str]:
    return re.findall(
        r'<h3 class="directory-card__name"><a [^>]+>([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def directory(db):
    """Five signatories with distinct sectors, regions, sizes, types and years, plus two that
    must never be listed."""
    make_organisation(
        "Société Générale Tech",
        number=1,
        slug="societe-generale-tech",
        legal_name="SG Technologie SAS",
        sector="finance",
        region="london",
        size_band="5000+",
        organisation_type="employer",
        signed_on=dt.date(2019, 5, 1),
    )
    make_organisation(
        "Søren Data",
        number=2,
        slug="soren-data",
        sector="software",
        region="scotland",
        size_band="10-49",
        organisation_type="employer",
        signed_on=dt.date(2021, 2, 1),
    )
    make_organisation(
        "Acme Analytics",
        number=3,
        legal_name="Acme Analytics Holdings Ltd",
        sector="software",
        region="london",
        size_band="50-249",
        organisation_type="employer",
        signed_on=dt.date(2024, 3, 1),
    )
    make_organisation(
        "Zürich Recruiters",
        number=4,
        slug="zurich-recruiters",
        sector="recruitment",
        region="wales",
        size_band="1-9",
        organisation_type="recruiter",
        signed_on=dt.date(2024, 9, 1),
    )
    make_organisation(
        "Northern University",
        number=5,
        sector="education",
        region="north-east",
        size_band="1000-4999",
        organisation_type="university",
        signed_on=dt.date(2022, 1, 10),
    )
    make_organisation(
        "Hooli",
        number=6,
        sector="software",
        region="london",
        status=OrganisationStatus.SUSPENDED,
        signed_on=dt.date(2023, 1, 1),
    )
    make_organisation(
        "Initech",
        number=7,
        sector="software",
        region="london",
        status=OrganisationStatus.WITHDRAWN,
        signed_on=dt.date(2020, 1, 1),
        withdrawn_on=dt.date(2023, 6, 30),
    )


# --- Search ------------------------------------------------------------------------------------


def test_it_folds_case_and_accents():
    assert fold("Société Générale") == "societe generale"
    assert fold("SØREN Æble Straße Łódź") == "soren aeble strasse lodz"
    assert fold("ΟΔΟΣ Οδός") == "οδοσ οδοσ"  # a final sigma folds like any other
    assert fold("İstanbul ılık") == "istanbul ilik"
    assert fold("ＡＣＭＥ ﬁnance") == "acme finance"
    assert fold("Ёлка Йога") == "елка иога"


FOLD_SAMPLES = [
    "Straße",
    "ß",
    "Søren Ørsted",
    "Łódź ŁÓDŹ",
    "Æble æble",
    "Œuvre œuvre",
    "Ελληνικά ΟΔΟΣ Οδός ϐ",
    "Москва Ёлка Йога ї",
    "İstanbul ılık",
    "ＡＣＭＥ ｆｕｌｌｗｉｄｔｈ",
    "ﬁnance ǅ",
    "Þór Đà Nẵng ħ",
    "ª º µ ’",
]


@pytest.mark.parametrize("text", FOLD_SAMPLES)
def test_postgresql_folds_names_exactly_as_python_does(require_postgres, text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT charter_fold(%s)", [text])
        assert cursor.fetchone()[0] == fold(text)


def test_postgresql_folds_every_letter_and_digit_as_python_does(require_postgres):
    """Latin, Greek, Cyrillic and their extensions, letter-like symbols, ligatures and the
    fullwidth forms, one character at a time."""
    import unicodedata

    blocks = [
        (0x0020, 0x0250),
        (0x0370, 0x0530),
        (0x1E00, 0x2000),
        (0x2100, 0x2190),
        (0xFB00, 0xFB07),
        (0xFF01, 0xFF5F),
    ]
    characters = [
        chr(code)
        for first, last in blocks
        for code in range(first, last)
        if unicodedata.category(chr(code))[0] in "LN"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT x, charter_fold(x) FROM unnest(%s::text[]) AS x", [characters])
        differences = {x: folded for x, folded in cursor.fetchall() if folded != fold(x)}

    assert len(characters) > 1500
    assert differences == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("societe", ["Société Générale Tech"]),
        ("SOCIÉTÉ gén", ["Société Générale Tech"]),
        ("soren", ["Søren Data"]),
        ("Søren", ["Søren Data"]),
        ("zurich", ["Zürich Recruiters"]),
        ("ZÜRICH", ["Zürich Recruiters"]),
        ("anal", ["Acme Analytics"]),
        ("acme holdings", ["Acme Analytics"]),  # public and legal name together
        ("technologie", ["Société Générale Tech"]),  # the legal name alone
        ("acme zurich", []),  # every word must match
        ("100%_", []),  # LIKE wildcards are searched for literally
    ],
)
def test_it_searches_names_in_any_case_with_or_without_accents(directory, query, expected):
    assert names(f"q={query}") == expected


def test_it_never_lists_suspended_or_withdrawn_signatories(directory):
    listed_names = names("")

    assert "Hooli" not in listed_names
    assert "Initech" not in listed_names
    assert len(listed_names) == 5
    assert names("q=hooli") == []
    assert names("q=initech") == []


# --- Filters -----------------------------------------------------------------------------------


def test_it_filters_by_each_code(directory):
    assert names("sector=software") == ["Acme Analytics", "Søren Data"]
    assert names("size=5000%2B") == ["Société Générale Tech"]
    assert names("region=wales") == ["Zürich Recruiters"]
    assert names("type=university") == ["Northern University"]
    assert names("year=2024") == ["Acme Analytics", "Zürich Recruiters"]


def test_it_combines_filters_and_alternatives(directory):
    # Values of one filter are alternatives; different filters all apply.
    assert names("sector=software&sector=finance") == [
        "Acme Analytics",
        "Société Générale Tech",
        "Søren Data",
    ]
    assert names("sector=software&sector=finance&region=london") == [
        "Acme Analytics",
        "Société Générale Tech",
    ]
    assert names("sector=software&region=london&year=2024&type=employer&size=50-249") == [
        "Acme Analytics"
    ]
    assert names("q=data&sector=software&region=london") == []


def test_it_reads_an_unencoded_plus_in_a_size_code(directory):
    # "size=5000+" in a hand-typed URL arrives as "5000 ".
    assert names("size=5000+") == ["Société Générale Tech"]


def test_it_counts_what_each_filter_value_would_leave(directory):
    params, _ = parse_params(QueryDict("sector=software&region=london"))

    page = directory_page(params)

    assert page.count == 1
    counts = {
        facet.dimension.param: {value.code: value.count for value in facet.values}
        for facet in page.facets
    }
    # Sector counts ignore the sector filter but keep the region: London has one finance and
    # one software signatory.
    assert counts["sector"]["software"] == 1
    assert counts["sector"]["finance"] == 1
    assert counts["sector"]["education"] == 0
    # Region counts keep the sector filter: software is in London and Scotland.
    assert counts["region"]["london"] == 1
    assert counts["region"]["scotland"] == 1
    assert counts["region"]["wales"] == 0
    assert counts["year"]["2024"] == 1
    # Every year from the first signing to this year is offered, even with no signatory.
    assert list(counts["year"]) == [str(y) for y in range(2019, timezone.localdate().year + 1)]
    selected = {v.code for f in page.facets for v in f.values if v.selected}
    assert selected == {"software", "london"}


# --- Sorting and pages -------------------------------------------------------------------------


def test_it_sorts_by_name_in_any_case_and_with_or_without_accents(client, db):
    for number, name in enumerate(["Zeta", "élan", "acme", "Örn", "Elba"], start=1):
        make_organisation(name, number=number, slug=f"org-{number}")

    expected = ["acme", "élan", "Elba", "Örn", "Zeta"]
    assert names("sort=name") == expected
    assert listed(client.get("/signatories/")) == expected
    api = client.get("/api/signatories/?sort=name").json()
    assert [record["name"] for record in api["results"]] == expected


def test_it_sorts_by_name_newest_and_number(directory):
    assert names("sort=name")[0] == "Acme Analytics"
    assert names("sort=newest") == [
        "Zürich Recruiters",
        "Acme Analytics",
        "Northern University",
        "Søren Data",
        "Société Générale Tech",
    ]
    assert names("sort=number")[0] == "Société Générale Tech"


@pytest.fixture
def many(db):
    Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Company {number:03} Ltd",
            public_name=f"Company {number:03}",
            slug=f"company-{number:03}",
            website=f"https://company-{number:03}.example",
            website_domain=f"company-{number:03}.example",
            organisation_type="employer",
            sector="software" if number % 2 else "finance",
            size_band="10-49",
            region="wales",
            signatory_number=number,
            signed_on=dt.date(2024, 1, 1),
        )
        for number in range(1, 131)
    )


@pytest.mark.parametrize(("per_page", "pages"), [(25, 6), (50, 3), (100, 2)])
def test_it_pages_with_a_choice_of_page_sizes(client, many, per_page, pages):
    response = client.get(f"/signatories/?per_page={per_page}&page=2")

    assert response.status_code == 200
    assert result_count(response) == "130 signatories"
    shown = listed(response)
    assert len(shown) == min(per_page, 130 - per_page)
    assert shown[0] == f"Company {per_page + 1:03}"
    html = response.content.decode()
    # The link back to page 1 leaves the defaults out: no page=1, no per_page=25.
    previous = "" if per_page == 25 else f"per_page={per_page}"
    assert f'<a href="?{previous}" rel="prev">Previous' in html
    assert not re.search(r'(?:\?|&amp;)page=1(?:&|")', html)
    assert f"Page </span>{pages}</a>" in html


def test_it_keeps_the_filters_in_page_links(client, many):
    html = client.get("/signatories/?sector=software&sort=number").content.decode()

    assert 'href="?sector=software&amp;sort=number&amp;page=2"' in html
    assert 'rel="next"' in html


@pytest.mark.parametrize("per_page", [25, 100])
def test_it_builds_a_page_in_four_queries_whatever_its_size(
    client, many, django_assert_num_queries, per_page
):
    # The version, the first signing year, the facets with the total, the page's rows.
    with django_assert_num_queries(4):
        response = client.get(f"/signatories/?per_page={per_page}&q=company&sector=software")

    assert response.status_code == 200
    assert len(listed(response)) == min(per_page, 65)


def test_it_serves_an_anonymous_repeat_visit_from_the_cache_in_one_query(
    client, many, django_assert_num_queries
):
    first = client.get("/signatories/?region=wales")

    with django_assert_num_queries(1):
        second = client.get("/signatories/?region=wales")

    assert second.content == first.content


def test_it_drops_the_cached_page_when_a_signatory_changes(client, many):
    assert "Company 001" in listed(client.get("/signatories/"))

    organisation = Organisation.objects.get(public_name="Company 001")
    organisation.public_name = "Renamed 001"
    organisation.save()

    assert "Renamed 001" in client.get("/signatories/?sort=number").content.decode()
    shown = listed(client.get("/signatories/"))
    assert "Company 001" not in shown


def test_it_drops_a_withdrawn_signatory_at_once(client, acme, alice):
    from signatories.services.organisations import organisation_withdraw

    assert listed(client.get("/signatories/")) == ["Acme Analytics"]

    organisation_withdraw(organisation=acme, by=alice, reason="Merged into another company.")

    assert listed(client.get("/signatories/")) == []


def test_it_answers_not_modified_while_nothing_changes(client, acme, globex):
    first = client.get("/signatories/")
    etag = first["ETag"]

    again = client.get("/signatories/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag

    globex.description = "Changed."
    globex.save()
    changed = client.get("/signatories/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_it_gives_a_different_etag_to_each_query(client, acme, globex):
    assert client.get("/signatories/")["ETag"] != client.get("/signatories/?q=acme")["ETag"]


def test_it_changes_the_etag_when_the_date_changes(client, directory):
    """The year filter runs to the current year: yesterday's page is not today's."""
    with time_machine.travel(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        before = client.get("/signatories/")
        assert 'value="2026"' not in before.content.decode()
        assert client.get("/signatories/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        after = client.get("/signatories/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert 'name="year" value="2026"' in after.content.decode()


def test_it_gives_a_logged_in_person_a_private_etag_of_their_own(client, acme, alice, bob):
    anonymous_etag = client.get("/signatories/")["ETag"]
    client.force_login(alice)

    response = client.get("/signatories/")

    assert response.status_code == 200
    assert "Log out" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    etag = response["ETag"]
    assert etag != anonymous_etag
    assert client.get("/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    client.force_login(bob)
    assert client.get("/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_it_revalidates_a_logged_in_page_when_their_menu_changes(client, acme, alice):
    client.force_login(alice)
    etag = client.get("/signatories/")["ETag"]

    alice.groups.add(Group.objects.get_or_create(name="Charter staff")[0])

    response = client.get("/signatories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Staff workspace" in response.content.decode()


def test_it_never_shows_a_logged_in_persons_page_to_anyone_else(client, acme, alice):
    client.force_login(alice)
    assert "Log out" in client.get("/signatories/").content.decode()
    client.logout()

    response = client.get("/signatories/")

    assert "Log out" not in response.content.decode()
    assert "private" not in response["Cache-Control"]


# --- htmx ----------------------------------------------------------------------------------------


def test_it_answers_htmx_with_the_results_and_the_new_counts_only(client, directory):
    response = client.get("/signatories/?sector=software", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert result_count(response) == "2 signatories found"
    # Counts are swapped in place, so the checkboxes (and keyboard focus) stay where they are.
    assert 'id="count-region-6" data-hx-swap-oob="innerHTML">(1)</span>' in html  # London
    assert 'id="directory-status" data-hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_it_names_each_year_filter_after_its_year(client, directory):
    """Element ids of years are the years, not positions: the list of years moves when an
    earlier signatory appears or a year begins, and htmx swaps counts into the same ids."""
    html = client.get("/signatories/?year=2024").content.decode()
    fragment = client.get("/signatories/?year=2024", HTTP_HX_REQUEST="true").content.decode()

    assert 'value="2024" id="filter-year-2024" checked' in html
    assert '<label for="filter-year-2019">2019' in html
    assert 'id="count-year-2024">(2)</span>' in html
    assert 'id="count-year-2024" data-hx-swap-oob="innerHTML">(2)</span>' in fragment
    assert 'id="count-year-2019" data-hx-swap-oob="innerHTML">(1)</span>' in fragment
    assert "filter-year-0" not in html


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, directory):
    response = client.get(
        "/signatories/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


def test_it_works_without_javascript(client, directory):
    html = client.get("/signatories/?sector=software").content.decode()

    assert '<form id="directory-filters"' in html
    assert 'method="get" action="/signatories/"' in html
    assert 'name="sector" value="software" id="filter-sector-0" checked' in html
    assert '<button type="submit">Show results</button>' in html
    assert "/static/js/htmx.min.js" in html


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "count"),
    [
        ("sector=spaceflight", "is not a sector code", "5 signatories"),
        ("sector=spaceflight&sector=software", "is not a sector code", "2 signatories found"),
        ("region=mars", "is not a region code", "5 signatories"),
        ("size=huge", "is not a size code", "5 signatories"),
        ("type=alien", "is not a type of organisation code", "5 signatories"),
        ("year=1066", "is not a year to filter by", "5 signatories"),
        ("year=next", "is not a year to filter by", "5 signatories"),
        ("sort=random", "is not a way to sort", "5 signatories"),
        ("per_page=1000", "is not a page size", "5 signatories"),
        ("page=-1", "is not a page number", "5 signatories"),
        ("page=abc", "is not a page number", "5 signatories"),
        ("page=99999999999999999999999", "is not a page number", "5 signatories"),
        ("page=7", "There is no page 7: there is 1 page.", "5 signatories"),
        # Digits that str.isdigit() accepts and int() refuses or reads as another number.
        ("page=%C2%B2", "is not a page number", "5 signatories"),
        ("per_page=%C2%B2", "is not a page size", "5 signatories"),
        ("year=%C2%B2", "is not a year to filter by", "5 signatories"),
        ("year=%D9%A2%D9%A0%D9%A2%D9%A4", "is not a year to filter by", "5 signatories"),
        ("q=" + "x" * 101, "The search is 101 characters long; the most is 100.", "5 signatories"),
    ],
)
def test_it_explains_bad_input_and_shows_the_nearest_valid_results(
    client, directory, query, message, count
):
    response = client.get(f"/signatories/?{query}")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="directory-problems"' in html
    assert message in html.replace("&quot;", '"')
    assert result_count(response) == count


def test_it_explains_an_address_with_too_many_parameters(client, directory):
    query = "&".join(f"sector=software&x{number}=1" for number in range(600))

    response = client.get(f"/signatories/?{query}")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="directory-problems"' in html
    assert "The address has more than 1,000 parameters" in html
    assert result_count(response) == "5 signatories"
    assert "ETag" not in response


def test_it_survives_control_characters_in_the_search(client, directory):
    # PostgreSQL refuses NUL bytes; they become spaces, so this searches for "ac" and "me".
    response = client.get("/signatories/?q=ac%00me%01")

    assert response.status_code == 200
    assert listed(response) == ["Acme Analytics"]


def test_it_refuses_to_post_to_the_directory(client):
    assert client.post("/signatories/").status_code == 405


# --- The profile -------------------------------------------------------------------------------


def test_it_links_a_profile_to_the_same_sector_and_region(client, acme):
    html = client.get("/signatories/acme-analytics/").content.decode()

    assert 'href="/signatories/?sector=software&amp;region=london"' in html
    assert "Dana Director, Chief Technology Officer" in html


def test_it_hides_a_representative_who_did_not_consent(client, acme):
    acme.representatives.update(consent_to_be_named=False)

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert "Dana Director" not in html


def test_it_shows_the_logo_on_the_profile(client, acme):
    Organisation.objects.filter(pk=acme.pk).update(logo="logos/acme.png")

    html = client.get("/signatories/acme-analytics/").content.decode()

    assert (
        '<img class="profile__logo" src="/media/logos/acme.png" alt="Acme Analytics logo">' in html
    )


def test_it_says_when_a_withdrawn_signatory_was_one(client, directory):
    response = client.get("/signatories/initech/")

    assert response.status_code == 200
    assert "was a signatory from 1 January 2020 to 30 June 2023" in response.content.decode()


def test_it_hides_a_suspended_signatorys_profile(client, directory):
    assert client.get("/signatories/hooli/").status_code == 404


def test_it_loads_a_profile_in_four_queries(client, acme, django_assert_num_queries):
    from charter.models import Pledge
    from pledges.models import PledgeCommitment

    PledgeCommitment.objects.bulk_create(
        PledgeCommitment(
            organisation=acme,
            pledge=pledge,
            public_statement="We will.",
            accepted_at=timezone.now(),
        )
        for pledge in Pledge.objects.all()
    )

    # The organisation, its current representative, its commitments with their pledges, the
    # years it reported diversity data.
    with django_assert_num_queries(4):
        response = client.get("/signatories/acme-analytics/")

    assert response.content.decode().count("We will.") == 5


# --- The home page -----------------------------------------------------------------------------


def test_it_shows_the_newest_signatories_and_a_chart_with_a_table_on_the_home_page(
    client, directory
):
    html = client.get("/").content.decode()

    newest = re.findall(r'<li><a href="/signatories/([^/]+)/">', html)
    assert newest[:2] == ["zurich-recruiters", "acme-analytics"]
    assert "hooli" not in newest
    assert '<svg viewBox="0 0 640 260" role="img"' in html
    # The text alternative: every year, with the count at its end. Initech (2020–2023) counts
    # until it left; Hooli (suspended) never does.
    rows = dict(re.findall(r'<th scope="row">(\d{4})</th><td>(\d+)</td>', html))
    assert rows["2019"] == "1"
    assert rows["2020"] == "2"
    assert rows["2022"] == "4"
    assert rows["2023"] == "3"
    assert rows["2024"] == "5"
    assert rows[str(timezone.localdate().year)] == "5"
