"""System checks that guard production settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def check_secret_key_is_not_the_development_one(app_configs, **kwargs) -> list[Error]:
    # Runs on every start-up, not only with --deploy: the development key is in the repository,
    # so serving with DEBUG off and that key would let anyone forge sessions.
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the public development key while DEBUG is off.",
                hint="Set SECRET_KEY to a long random value (see .env.example).",
                id="charter.E001",
            )
        ]
    return []
