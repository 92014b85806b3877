"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

No engine runs on the machines the suite runs on, so the compose file is validated against the
Compose specification (check-jsonschema ships the schema) and its wiring is read as data.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# ruamel.yaml comes with check-jsonschema, which parses YAML with it; its safe loader resolves
# the anchors and `<<` merge keys the compose file shares the app configuration with.
from ruamel.yaml import YAML

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
APP_SERVICES = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def test_it_is_valid_against_the_compose_specification():
    check_jsonschema = Path(sys.executable).with_name("check-jsonschema")

    result = subprocess.run(
        [check_jsonschema, "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_it_runs_every_part_of_charter(services):
    assert set(services) >= {"postgres", "redis", "mailpit", "migrate", "web", "worker", "beat"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert command_words(services["web"])[:2] == ["gunicorn", "charter.wsgi"]
    assert command_words(services["worker"])[:4] == ["celery", "-A", "charter", "worker"]
    assert command_words(services["migrate"])[-3:] == ["manage.py", "migrate", "--no-input"]


def test_it_runs_exactly_one_celery_beat(services):
    def runs_beat(service: dict) -> bool:
        words = command_words(service)
        return "celery" in words and ("beat" in words or "-B" in words or "--beat" in words)

    beats = [name for name, service in services.items() if runs_beat(service)]

    assert beats == ["beat"]
    assert "replicas" not in services["beat"].get("deploy", {})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_waits_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_long_running_services_start_after_the_migrations_succeeded(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["migrate"] == {"condition": "service_completed_successfully"}


@pytest.mark.parametrize("name", ["postgres", "redis", "web", "mailpit"])
def test_it_health_checks_each_service_others_wait_for(services, name):
    assert services[name]["healthcheck"]["test"]


def test_the_web_health_check_asks_healthz_without_curl(services):
    # python:slim has no curl; the check must use what the image has.
    check = " ".join(services["web"]["healthcheck"]["test"])

    assert "/healthz" in check
    assert "curl" not in check


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_the_services_in_the_stack(services, name):
    environment = services[name]["environment"]

    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["EMAIL_HOST"] == "mailpit"
    assert str(environment["EMAIL_PORT"]) == "1025"
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"} <= set(environment)


def test_the_dockerfile_installs_the_locked_dependencies_without_dev_tools():
    dockerfile = DOCKERFILE.read_text()

    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.MULTILINE)
    assert "uv sync --frozen --no-dev" in dockerfile
    for library in ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]:
        assert library in dockerfile
    assert "collectstatic" in dockerfile


def test_the_dockerfile_runs_as_an_unprivileged_user():
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE.read_text(), re.MULTILINE)

    assert users
    assert users[-1] not in {"root", "0"}


def test_the_dockerfile_copies_every_local_django_app():
    # The Dockerfile copies named paths (never ".", which would bake in .env and var/), so a new
    # app must be added there too.
    copied = set(re.findall(r"^COPY\s+(?!--)(\S+)", DOCKERFILE.read_text(), re.MULTILINE))
    local_apps = [app for app in settings.INSTALLED_APPS if (BASE_DIR / app).is_dir()]

    assert local_apps
    for path in [*local_apps, "manage.py", "templates", "static"]:
        assert path in copied, f"the Dockerfile does not copy {path}"
