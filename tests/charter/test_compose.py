"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

No engine runs on the machines the suite runs on, so the compose file is validated against the
Compose specification (check-jsonschema ships the schema) and its wiring is read as data.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


def test_the_beat_runs_the_reminder_sweep_every_few_minutes(services):
    from charter.celery import app as celery_app

    # compose's beat reads CELERY_BEAT_SCHEDULE through the charter app, like the worker.
    assert command_words(services["beat"])[:4] == ["celery", "-A", "charter", "beat"]
    schedule = settings.CELERY_BEAT_SCHEDULE
    [sweep] = [
        entry for entry in schedule.values() if entry["task"] == "pledges.tasks.reminders_sweep"
    ]
    # The sweep requeues deliveries "sending" for 15 minutes: it must run well within that.
    assert dt.timedelta(seconds=sweep["schedule"]) <= dt.timedelta(minutes=5)
    celery_app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks, f"beat would run an unknown task {entry['task']}"


def test_the_readme_lists_every_periodic_job_and_how_often_it_runs():
    readme = (BASE_DIR / "README.md").read_text()
    reminders = readme.split("## Reminders", 1)[1].split("\n## ", 1)[0]
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        row = next((line for line in reminders.splitlines() if f"`{name}`" in line), "")
        assert f"`{entry['task']}`" in row, f"README's Reminders table lacks beat entry {name}"
        minutes = dt.timedelta(seconds=entry["schedule"]).total_seconds() / 60
        assert f"every {minutes:g} minutes" in row


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


@pytest.fixture
def production_like_web(tmp_path):
    """gunicorn serving Charter as a production .env would set it up: DEBUG off, a real secret
    and only the public host names allowed (not 127.0.0.1). Yields the port it listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": ".charter.example,www.charter.example",
        "VAR_DIR": str(tmp_path / "var"),
    }
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "charter.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not start within 30 seconds"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_web_health_check_passes_when_only_the_public_host_is_allowed(
    services, production_like_web
):
    # The check as compose runs it, inside the web container, aimed at our gunicorn's port.
    check = services["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    code = check[3]
    assert "http://127.0.0.1:8000/healthz" in code
    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{production_like_web}")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ALLOWED_HOSTS": ".charter.example,www.charter.example",
    }

    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 0, result.stderr
    # Host validation is untouched: asking by address alone, as the old check did, is refused.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{production_like_web}/healthz", timeout=10)
    assert refused.value.code == 400


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
