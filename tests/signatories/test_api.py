"""The directory as JSON (/api/signatories/), its OpenAPI description and its human page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from openapi_spec_validator import validate

from signatories.choices import OrganisationStatus
from signatories.models import Organisation
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

FIELDS = [
    "name",
    "slug",
    "url",
    "signatory_number",
    "signed_on",
    "sector",
    "size_band",
    "region",
    "organisation_type",
    "status",
    "updated_at",
]


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
            size_band="5000+",
            region="wales",
            signatory_number=number,
            signed_on=dt.date(2024, 1, 1),
        )
        for number in range(1, 131)
    )


def test_it_lists_signatories_with_the_published_field_names_and_codes(client, acme):
    response = client.get("/api/signatories/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 1
    assert body["next"] is None
    assert body["previous"] is None
    [record] = body["results"]
    assert list(record) == FIELDS
    assert record["name"] == "Acme Analytics"
    assert record["slug"] == "acme-analytics"
    assert record["url"] == "http://testserver/signatories/acme-analytics/"
    assert record["signatory_number"] == 1
    assert record["signed_on"] == "2024-03-01"
    assert (record["sector"], record["size_band"], record["region"]) == (
        "software",
        "50-249",
        "london",
    )
    assert record["organisation_type"] == "employer"
    assert record["status"] == "active"
    assert dt.datetime.fromisoformat(record["updated_at"]) == acme.updated_at


def test_it_paginates_with_next_and_previous_links_that_keep_the_filters(client, many):
    body = client.get("/api/signatories/?sector=software&per_page=25&page=2").json()

    assert body["count"] == 65
    assert len(body["results"]) == 25
    assert body["results"][0]["signatory_number"] == 51  # sorted by number by default
    # Defaults (sort=number, per_page=25, page=1) are left out of the links.
    assert body["next"] == "http://testserver/api/signatories/?sector=software&page=3"
    assert body["previous"] == "http://testserver/api/signatories/?sector=software"
    last = client.get(body["next"]).json()
    assert last["next"] is None
    assert len(last["results"]) == 15


@pytest.mark.parametrize("per_page", [25, 50, 100])
def test_it_answers_in_three_queries_whatever_the_page_size(
    client, many, django_assert_num_queries, per_page
):
    # The version, the count, the rows.
    with django_assert_num_queries(3):
        body = client.get(f"/api/signatories/?per_page={per_page}").json()

    assert len(body["results"]) == per_page


def test_it_accepts_the_directory_filters(client, many):
    make_organisation("Globex", number=1002, sector="finance", region="scotland")
    body = client.get("/api/signatories/?region=wales&size=5000%2B&q=company+00&sort=name").json()

    assert body["count"] == 10  # Company 001 to 009, and Company 100
    assert [record["name"] for record in body["results"]][:2] == ["Company 001", "Company 002"]
    assert client.get("/api/signatories/?sector=finance&region=scotland").json()["count"] == 1


def test_it_hides_suspended_and_withdrawn_signatories_from_the_list(client, acme):
    make_organisation("Hooli", number=6, status=OrganisationStatus.SUSPENDED)
    make_organisation(
        "Initech",
        number=7,
        status=OrganisationStatus.WITHDRAWN,
        withdrawn_on=dt.date(2025, 1, 31),
    )

    body = client.get("/api/signatories/").json()

    assert [record["slug"] for record in body["results"]] == ["acme-analytics"]


def test_it_lists_only_what_changed_since_a_date_including_departures(client):
    with time_machine.travel(dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        make_organisation("Acme Analytics", number=1)
        hooli = make_organisation("Hooli", number=2)
        initech = make_organisation("Initech", number=3)
    with time_machine.travel(dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        make_organisation("Globex", number=4)
        hooli.status = OrganisationStatus.SUSPENDED
        hooli.save()
        initech.status = OrganisationStatus.WITHDRAWN
        initech.withdrawn_on = dt.date(2025, 2, 1)
        initech.save()

    body = client.get("/api/signatories/?updated_since=2025-01-20").json()

    statuses = {record["slug"]: record["status"] for record in body["results"]}
    # A suspension is not announced: the organisation is simply no longer listed.
    assert statuses == {"hooli": "unlisted", "initech": "withdrawn", "globex": "active"}
    with_time = client.get("/api/signatories/?updated_since=2025-02-01T09:00:00Z").json()
    assert with_time["count"] == 3
    offset = client.get("/api/signatories/?updated_since=2025-02-01T10:00:01%2B01:00").json()
    assert offset["count"] == 0
    unencoded_plus = client.get("/api/signatories/?updated_since=2025-01-01T00:00:00+00:00")
    assert unencoded_plus.json()["count"] == 4


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2025-13-45", "updated_since"),
        ("sector=spaceflight", "sector"),
        ("year=1850", "year"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("page=2", "page"),
        ("sort=random", "sort"),
        ("q=" + "x" * 101, "q"),
        # Digits that str.isdigit() accepts and int() refuses or reads as another number.
        ("page=%C2%B2", "page"),
        ("per_page=%C2%B2", "per_page"),
        ("year=%C2%B2", "year"),
        ("year=%D9%A2%D9%A0%D9%A2%D9%A4", "year"),
        ("&".join(f"x{number}=1" for number in range(1001)), "query_string"),
    ],
)
def test_it_refuses_bad_input_with_a_400_that_says_what_to_fix(client, acme, query, parameter):
    response = client.get(f"/api/signatories/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_it_changes_the_etag_when_the_date_changes(client, acme):
    with time_machine.travel(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        etag = client.get("/api/signatories/")["ETag"]
        assert client.get("/api/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_it_answers_not_modified_until_a_signatory_changes(client, acme):
    etag = client.get("/api/signatories/")["ETag"]

    assert client.get("/api/signatories/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    acme.public_name = "Acme"
    acme.save()
    response = client.get("/api/signatories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Acme"


def test_it_serves_a_repeat_request_from_the_cache_in_one_query(
    client, many, django_assert_num_queries
):
    first = client.get("/api/signatories/?per_page=100")

    with django_assert_num_queries(1):
        second = client.get("/api/signatories/?per_page=100")

    assert second.content == first.content


def test_it_publishes_a_valid_openapi_description(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    document = response.json()
    validate(document)
    signatory = document["components"]["schemas"]["Signatory"]
    assert list(signatory["properties"]) == FIELDS
    parameters = [p["name"] for p in document["paths"]["/api/signatories/"]["get"]["parameters"]]
    for name in ["q", "sector", "size", "region", "type", "year", "updated_since", "per_page"]:
        assert name in parameters


def test_it_documents_the_api_for_people(client):
    response = client.get("/api/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/api/schema/" in html
    assert "<code>updated_since</code>" in html
    for field in FIELDS:
        assert f"<code>{field}</code>" in html
