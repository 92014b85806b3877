from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = "Charter"

    def ready(self) -> None:
        from charter import (
            checks,  # noqa: F401  (registers the system checks)
            security,  # noqa: F401  (connects the staff session's log-in hook)
        )
