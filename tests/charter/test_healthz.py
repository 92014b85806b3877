"""/healthz: what a load balancer asks before sending traffic. 200 when every configured part
answers, 503 otherwise, with a JSON body naming each part."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # port 1: nothing listens there


def test_it_answers_200_when_the_database_answers_and_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not configured"},
    }


def test_it_checks_the_database_for_real_on_postgresql(client, settings, require_postgres):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_it_answers_200_when_the_broker_answers(client, settings, require_redis):
    settings.CELERY_BROKER_URL = require_redis

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "failing"},
    }


def test_it_answers_503_when_the_database_fails(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def database_down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1:5432 failed")

    monkeypatch.setattr(connection, "cursor", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "failing", "broker": "not configured"},
    }


def test_it_names_both_failures_when_everything_is_down(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "broker": "failing"}


def test_it_tells_caches_never_to_keep_the_answer(client):
    response = client.get("/healthz")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "max-age=0"} <= cache_control


def test_it_answers_over_plain_http_even_when_https_is_enforced(client, settings):
    # Load balancers probe over plain HTTP inside the network; everything else is redirected.
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = ""

    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_it_refuses_to_post_to_healthz(client):
    assert client.post("/healthz").status_code == 405
