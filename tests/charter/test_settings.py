"""Settings come from the environment: defaults with nothing set, overrides, and bad values.

charter/settings.py is evaluated once, when it is imported, so each case runs a fresh Python in a
subprocess with an environment we control: PATH, HOME and DJANGO_SETTINGS_MODULE plus what the
test sets. Nothing leaks in from the shell that runs the suite (scripts/test exports DATABASE_URL
and the Redis URLs, for example).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# Print the settings named on the command line as JSON (paths as strings).
PRINT_SETTINGS = """
import json, sys
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))
"""


def run(arguments: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "charter.settings",
        **environment,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(*names: str, **environment: str) -> dict:
    result = run(["-c", PRINT_SETTINGS, *names], **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run(["manage.py", *arguments], **environment)


def production_secret_key() -> str:
    # What .env.example tells people to generate: 67 URL-safe random characters.
    return secrets.token_urlsafe(50)


def test_it_runs_on_embedded_defaults_with_nothing_set():
    values = read_settings(
        "DEBUG",
        "SECRET_KEY",
        "DEVELOPMENT_SECRET_KEY",
        "DATABASES",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        "CACHES",
    )

    assert values["DEBUG"] is True
    assert values["SECRET_KEY"] == values["DEVELOPMENT_SECRET_KEY"]
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == BASE_DIR / "var" / "charter.sqlite3"
    assert values["CELERY_BROKER_URL"] == ""
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_database_url_selects_postgresql(scheme):
    values = read_settings(
        "DATABASES", DATABASE_URL=f"{scheme}://charter:s3cret@db.example:5433/charter"
    )

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "charter"
    assert database["USER"] == "charter"
    assert database["PASSWORD"] == "s3cret"
    assert database["HOST"] == "db.example"
    assert database["PORT"] == 5433


def test_a_sqlite_database_url_is_honoured(tmp_path):
    path = tmp_path / "elsewhere.sqlite3"

    values = read_settings("DATABASES", DATABASE_URL=f"sqlite:///{path}")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(path)


def test_a_broker_url_sends_tasks_through_redis_instead_of_inline():
    code = (
        "import json; from django.conf import settings; from charter.celery import app; "
        "print(json.dumps([settings.CELERY_TASK_ALWAYS_EAGER, app.conf.task_always_eager, "
        "app.conf.broker_url]))"
    )

    result = run(["-c", code], CELERY_BROKER_URL="redis://127.0.0.1:6379/14")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, False, "redis://127.0.0.1:6379/14"]


def test_an_email_host_switches_to_smtp():
    values = read_settings(
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", EMAIL_HOST="smtp.charter.example"
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.charter.example",
        "EMAIL_PORT": 587,
    }


def test_the_smtp_port_can_be_set():
    values = read_settings("EMAIL_PORT", EMAIL_HOST="mailpit", EMAIL_PORT="1025")

    assert values["EMAIL_PORT"] == 1025


def test_a_redis_url_selects_the_redis_cache():
    values = read_settings("CACHES", REDIS_URL="redis://127.0.0.1:6379/15")

    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/15"


def test_with_debug_off_it_is_secure_by_default():
    values = read_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "STORAGES",
        DEBUG="false",
        SECRET_KEY=production_secret_key(),
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_the_https_redirect_can_be_left_to_a_proxy():
    values = read_settings(
        "SECURE_SSL_REDIRECT",
        DEBUG="false",
        SECRET_KEY=production_secret_key(),
        SECURE_SSL_REDIRECT="false",
    )

    assert values["SECURE_SSL_REDIRECT"] is False


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "postgres://"),
        ("DATABASE_URL", "nonsense"),
        ("REDIS_URL", "http://x"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//"),
        ("EMAIL_PORT", "twenty-five"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = manage("check", **{variable: value})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert f"{variable}={value!r}" in last_line


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="charter.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_refuses_the_development_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="charter.example")

    assert result.returncode != 0
    assert "charter.E001" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_the_development_secret_key_is_fine_while_debugging():
    result = manage("check")

    assert result.returncode == 0, result.stderr
    assert "charter.E001" not in result.stdout + result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    source = (BASE_DIR / "charter" / "settings.py").read_text()
    read = set(
        re.findall(r"\b(?:env_str|env_bool|env_int|env_list|redis_url)\(\s*\"(\w+)\"", source)
    )
    documented = set(
        re.findall(r"^#? ?(\w+)=", (BASE_DIR / ".env.example").read_text(), re.MULTILINE)
    )

    assert "DATABASE_URL" in read
    assert read - documented == set()
