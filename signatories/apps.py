from django.apps import AppConfig


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = "Signatories"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from signatories.search import register_sqlite_functions

        # The directory's name search needs charter_fold() on SQLite too (signatories/search.py).
        connection_created.connect(register_sqlite_functions, dispatch_uid="charter_fold")
