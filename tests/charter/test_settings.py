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
        ("EMAIL_PORT", "0"),
        ("EMAIL_PORT", "65536"),
        ("EMAIL_BACKEND", "django.core.mail.backends.smtpp.EmailBackend"),
        ("EMAIL_BACKEND", "django.core.mail.backends.smtp.NoSuchBackend"),
        ("SITE_URL", "charter.example"),
        ("SITE_URL", "ftp://charter.example"),
        ("SITE_URL", "https://"),
        ("DATABASE_URL", "sqlite://"),
        ("DATABASE_URL", "sqlite:///"),
        # Empty is not "off" nor "the default": DEBUG= is refused rather than guessed at.
        ("DEBUG", ""),
        ("SECURE_SSL_REDIRECT", ""),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = manage("check", **{variable: value})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert f"{variable}={value!r}" in last_line


def test_a_var_dir_that_cannot_be_created_stops_start_up_naming_it(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a directory")
    var_dir = str(in_the_way / "var")

    result = manage("check", VAR_DIR=var_dir)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert f"VAR_DIR={var_dir!r} cannot be created" in last_line


def test_a_var_dir_is_created_when_missing(tmp_path):
    var_dir = tmp_path / "new" / "var"

    values = read_settings("VAR_DIR", "DATABASES", VAR_DIR=str(var_dir))

    assert var_dir.is_dir()
    assert values["VAR_DIR"] == str(var_dir)
    assert values["DATABASES"]["default"]["NAME"] == str(var_dir / "charter.sqlite3")


def test_the_site_url_loses_its_trailing_slash():
    values = read_settings("SITE_URL", SITE_URL="https://charter.example/")

    assert values["SITE_URL"] == "https://charter.example"


def test_the_smtp_port_may_be_the_highest_port():
    values = read_settings("EMAIL_PORT", EMAIL_HOST="mailpit", EMAIL_PORT="65535")

    assert values["EMAIL_PORT"] == 65535


def test_starttls_follows_the_submission_port_unless_set():
    assert read_settings("EMAIL_USE_TLS", EMAIL_HOST="smtp.example")["EMAIL_USE_TLS"] is True
    assert read_settings("EMAIL_USE_TLS", EMAIL_HOST="mailpit", EMAIL_PORT="1025") == {
        "EMAIL_USE_TLS": False
    }
    assert read_settings(
        "EMAIL_USE_TLS", EMAIL_HOST="smtp.example", EMAIL_PORT="25", EMAIL_USE_TLS="true"
    ) == {"EMAIL_USE_TLS": True}


def test_celery_is_set_up_so_a_lost_worker_loses_no_task():
    from charter.celery import app

    conf = app.conf

    # Acknowledge after the task ran, and re-queue a task whose worker process died mid-way.
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    # Each worker process reserves one task at a time.
    assert conf.worker_prefetch_multiplier == 1
    # Redis re-delivers an unacknowledged task after the visibility timeout: it must outlast the
    # longest a task may run, or a slow task would run twice.
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


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


def variables_the_settings_read() -> set[str]:
    """Every NAME in env_<kind>("NAME", ...) or redis_url("NAME") in charter/settings.py."""
    source = (BASE_DIR / "charter" / "settings.py").read_text()
    read = set(re.findall(r"\b(?:env_\w+|redis_url)\(\s*\"(\w+)\"", source))
    assert {"DATABASE_URL", "VAR_DIR", "SITE_URL", "EMAIL_BACKEND", "CSRF_COOKIE_SECURE"} <= read
    return read


def test_env_example_documents_every_variable_the_settings_read():
    read = variables_the_settings_read()
    documented = set(
        re.findall(r"^#? ?(\w+)=", (BASE_DIR / ".env.example").read_text(), re.MULTILINE)
    )

    assert read - documented == set()


def test_readme_documents_every_variable_the_settings_read():
    read = variables_the_settings_read()
    readme = (BASE_DIR / "README.md").read_text()
    # The environment table's first column: | `NAME` | or | `NAME`, `OTHER` |.
    table_rows = re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", readme, re.MULTILINE)
    documented = {name for row in table_rows for name in re.findall(r"`([A-Z_]+)`", row)}

    assert read - documented == set()
