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


@register(Tags.security, deploy=False)
def check_staff_two_factor_is_required_in_production(app_configs, **kwargs) -> list[Error]:
    # Switching staff two-factor authentication off is for a developer's own machine; a server
    # with DEBUG off serves real staff, whose passwords alone must not open signatories' data.
    if not settings.DEBUG and not settings.STAFF_TWO_FACTOR_REQUIRED:
        return [
            Error(
                "STAFF_TWO_FACTOR_REQUIRED is off while DEBUG is off.",
                hint="Unset STAFF_TWO_FACTOR_REQUIRED: staff must use two-factor authentication "
                "in production.",
                id="charter.E002",
            )
        ]
    return []
