from django.apps import AppConfig


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = "Signatories"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from signatories.directory.version import reinstall_sqlite_change_triggers
        from signatories.search import register_sqlite_functions

        # The directory's name search needs charter_fold() on SQLite too (signatories/search.py).
        connection_created.connect(register_sqlite_functions, dispatch_uid="charter_fold")
        # SQLite drops a table's triggers when a migration rebuilds it; put the directory's
        # change counter triggers back after every migrate (signatories/directory/version.py).
        post_migrate.connect(
            reinstall_sqlite_change_triggers,
            sender=self,
            dispatch_uid="directory_change_triggers",
        )
