"""The directory as JSON (``/api/signatories/``), its OpenAPI description (``/api/schema/``) and
the human page about both (``/api/``).

Plain Django views: one read-only, paginated list does not need a REST framework. Responses are
conditional and cached like the directory page (see ``signatories.public.views.directory``).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from reports import open_data as benchmark_open_data
from signatories.choices import OrganisationType, Region, Sector, SizeBand
from signatories.directory import (
    DEFAULT_PER_PAGE,
    MAX_QUERY_LENGTH,
    OPEN_DATA_FIELDS,
    PER_PAGE_CHOICES,
    SORTS,
    UNLISTED,
    api_page,
    directory_version,
    parse_request,
)
from signatories.public.views.directory import (
    cache_content,
    cached_content,
    conditional_headers,
)

API_DEFAULT_SORT = "number"


def bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse(
        {"detail": "The request has invalid parameters; see errors.", "errors": errors},
        status=400,
    )


@require_safe
def signatories_list(request: HttpRequest) -> HttpResponse:
    params, errors = parse_request(request, default_sort=API_DEFAULT_SORT, allow_updated_since=True)
    if errors:
        return bad_request(errors)
    version = directory_version()
    list_url = request.build_absolute_uri(reverse("signatories:api_signatories"))
    profile_base_url = request.build_absolute_uri(reverse("signatories:directory"))
    etag = version.etag("api", list_url, params.canonical_query())
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        conditional_headers(response, etag=etag)
        return response

    cache_key = f"directory:api:{etag.strip(chr(34))}"
    content = cached_content(cache_key)
    if content is None:
        page = api_page(params, profile_base_url=profile_base_url)
        if page.number > page.page_count:
            pages = f"{page.page_count} page{'' if page.page_count == 1 else 's'}"
            return bad_request(
                {"page": [f"There is no page {page.number}: there are {pages} of results."]}
            )

        def link(number: int) -> str:
            query = params.query_string(page=number, default_sort=API_DEFAULT_SORT)
            return f"{list_url}?{query}" if query else list_url

        body = {
            "count": page.count,
            "next": link(page.number + 1) if page.number < page.page_count else None,
            "previous": link(page.number - 1) if page.number > 1 else None,
            "results": page.results,
        }
        content = json.dumps(body, ensure_ascii=False).encode()
        cache_content(cache_key, content)
    response = HttpResponse(content, content_type="application/json")
    conditional_headers(response, etag=etag)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _codes(choices) -> list[str]:
    return list(choices.values)


def _array_of(codes: list[str], description: str) -> dict:
    return {
        "description": description,
        "schema": {"type": "array", "items": {"type": "string", "enum": codes}},
        "style": "form",
        "explode": True,
    }


def openapi_document(*, server_url: str) -> dict:
    """The API's OpenAPI 3.0 description, written by hand: it is short, and the field names and
    codes are a published promise that a generator must not change behind our back."""
    filter_parameters = [
        {
            "name": "q",
            "in": "query",
            "description": "Search the public and legal names: every word must appear, in any "
            f"case, with or without accents. At most {MAX_QUERY_LENGTH} characters.",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        },
        {"name": "sector", "in": "query", **_array_of(_codes(Sector), "Sector codes (any of).")},
        {"name": "size", "in": "query", **_array_of(_codes(SizeBand), "Size bands (any of).")},
        {"name": "region", "in": "query", **_array_of(_codes(Region), "Regions (any of).")},
        {
            "name": "type",
            "in": "query",
            **_array_of(_codes(OrganisationType), "Organisation types (any of)."),
        },
        {
            "name": "year",
            "in": "query",
            "description": "Years of signing (any of).",
            "schema": {"type": "array", "items": {"type": "integer", "minimum": 2000}},
            "style": "form",
            "explode": True,
        },
    ]
    organisation = {
        "type": "object",
        "required": list(OPEN_DATA_FIELDS),
        "properties": {
            "name": {"type": "string", "description": "The organisation's public name."},
            "slug": {"type": "string", "description": "Stable identifier used in its URL."},
            "url": {"type": "string", "format": "uri", "description": "Its public profile."},
            "signatory_number": {"type": "integer", "minimum": 1},
            "signed_on": {"type": "string", "format": "date"},
            "sector": {"type": "string", "enum": _codes(Sector)},
            "size_band": {"type": "string", "enum": _codes(SizeBand)},
            "region": {"type": "string", "enum": _codes(Region)},
            "organisation_type": {"type": "string", "enum": _codes(OrganisationType)},
            "status": {
                "type": "string",
                "enum": ["active", "withdrawn", UNLISTED],
                "description": "Always active unless updated_since is given; then withdrawn for "
                f"an organisation that left the charter and {UNLISTED} for one no longer "
                "listed for another reason: remove both from your copy of the list.",
            },
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Tech Diversity Charter open data",
            "version": "1.1.0",
            "description": "The public directory of the charter's signatories as open data. "
            "The same parameters and codes as the directory page. No key needed. Also "
            "each published annual report's benchmark cells (/api/benchmarks/) and the same "
            "cells as CSV; their breakdown codes are the directory's.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/signatories/": {
                "get": {
                    "operationId": "listSignatories",
                    "summary": "List signatories",
                    "parameters": [
                        *filter_parameters,
                        {
                            "name": "updated_since",
                            "in": "query",
                            "description": "Only organisations changed at or after this ISO "
                            "8601 date or date-time (local time when no offset is given), "
                            "including ones that withdrew or are no longer listed.",
                            "schema": {"type": "string"},
                            "example": "2025-01-31T09:30:00Z",
                        },
                        {
                            "name": "sort",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": list(SORTS),
                                "default": API_DEFAULT_SORT,
                            },
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "enum": list(PER_PAGE_CHOICES),
                                "default": DEFAULT_PER_PAGE,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of signatories.",
                            "headers": {
                                "ETag": {
                                    "description": "Send it back in If-None-Match.",
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SignatoryPage"}
                                }
                            },
                        },
                        "304": {"description": "Not modified since the ETag you sent."},
                        "400": {
                            "description": "An invalid parameter; nothing else is returned.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    },
                }
            },
            **benchmark_open_data.openapi_paths(),
        },
        "components": {
            "schemas": {
                **benchmark_open_data.openapi_components(),
                "Signatory": organisation,
                "SignatoryPage": {
                    "type": "object",
                    "required": ["count", "next", "previous", "results"],
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "next": {"type": "string", "format": "uri", "nullable": True},
                        "previous": {"type": "string", "format": "uri", "nullable": True},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Signatory"},
                        },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["detail", "errors"],
                    "properties": {
                        "detail": {"type": "string"},
                        "errors": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {"type": "string"},
                            },
                        },
                    },
                },
            }
        },
    }


@require_safe
def schema(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(openapi_document(server_url=request.build_absolute_uri("/")[:-1]))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "signatories/public/api.html",
        {
            "fields": OPEN_DATA_FIELDS,
            "api_url": request.build_absolute_uri(reverse("signatories:api_signatories")),
            "schema_url": request.build_absolute_uri(reverse("signatories:api_schema")),
            "export_url": request.build_absolute_uri(reverse("signatories:export_csv")),
            "benchmarks_url": request.build_absolute_uri(reverse("reports_api:list")),
            "benchmark_fields": benchmark_open_data.CELL_FIELDS,
            "quartile_columns": benchmark_open_data.QUARTILE_COLUMNS,
            "code_lists": [
                ("sector", "Sector", Sector.choices),
                ("size", "Size band (field size_band)", SizeBand.choices),
                ("region", "Region", Region.choices),
                ("type", "Organisation type (field organisation_type)", OrganisationType.choices),
            ],
            "per_page_choices": PER_PAGE_CHOICES,
            "max_query_length": MAX_QUERY_LENGTH,
            "unlisted": UNLISTED,
        },
    )
