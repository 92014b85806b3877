"""Read typed values from the environment.

Every setting Charter takes from the environment goes through these helpers, so that a bad value
(``DEBUG=maybe``, a malformed ``DATABASE_URL``) stops start-up with a message that names the
variable instead of surfacing later as a confusing error somewhere else.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


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
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of true/false, yes/no, on/off, 1/0."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


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
