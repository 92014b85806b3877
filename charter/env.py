"""Read typed values from the environment.

Every setting Charter takes from the environment goes through these helpers, so that a bad value
(``DEBUG=maybe``, a malformed ``DATABASE_URL``) stops start-up with a message that names the
variable instead of surfacing later as a confusing error somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
# An empty value (``DEBUG=``) is neither: one reader takes it for "off", another for "use the
# default", and for DEBUG the wrong guess either way is costly (tracebacks shown in production, or
# a developer's site demanding HTTPS). So it stops start-up like any other bad value.
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if not word:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is empty: set it to true or false, or unset it for the default."
        )
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of true/false, yes/no, on/off, 1/0."
    )


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at most {maximum}.")
    return value


def env_directory(name: str, default: Path) -> Path:
    """A directory Charter writes to, created if missing."""
    raw = os.environ.get(name, "").strip()
    path = Path(raw) if raw else default
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}={raw or str(default)!r} cannot be created: {error.strerror or error}."
        ) from None
    return path


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address such as https://charter.example, without a trailing slash."""
    url = env_str(name, default)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not an absolute web address: expected http:// or https:// "
            "followed by a host name, e.g. https://charter.example."
        )
    return url.rstrip("/")


def env_import_path(name: str, default: str) -> str:
    """A dotted path to a class, such as an email backend, checked by importing it now."""
    from django.utils.module_loading import import_string

    path = env_str(name) or default
    try:
        import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"{name}={path!r} cannot be imported: {error}") from None
    return path


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(name: str, url: str) -> dict:
    """Parse a database URL, accepting only the engines Charter supports."""
    import dj_database_url

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a database URL Charter understands: expected "
            "postgres://user:password@host:port/name or sqlite:///path/to/file.sqlite3."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several kinds for bad URLs
        raise ImproperlyConfigured(f"{name}={url!r} could not be parsed: {error}") from None
    if scheme == "sqlite" and url[len("sqlite://") :].strip("/") == "":
        # dj-database-url would quietly give an in-memory database, which every process (web,
        # worker, each test) sees empty: say so instead.
        raise ImproperlyConfigured(
            f"{name}={url!r} names no database file: expected sqlite:////absolute/path.sqlite3."
        )
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={url!r} names no database (the path after the host).")
    return config


def redis_url(name: str) -> str:
    url = env_str(name)
    if url and not url.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a Redis URL: expected redis://host:port/db."
        )
    return url
