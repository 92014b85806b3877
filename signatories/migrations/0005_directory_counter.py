"""The directory's version as a counter of changes to organisations, kept by database triggers.

The directory's cached pages and ETags used MAX(updated_at), MAX(id) as their version. A slow
transaction stamps updated_at when it writes but becomes visible when it commits, possibly after
a later stamp is already visible: the maximum then never moves and cached pages stay stale. A
counter bumped by a trigger in the changing transaction itself becomes visible with the change.

The trigger SQL lives in signatories/directory/version.py (install_change_triggers), which
SQLite also runs after every migrate, since SQLite rebuilds a table to alter it and the rebuild
loses the table's triggers. The statements are idempotent.
"""

from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from signatories.directory.version import install_change_triggers

    install_change_triggers(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from signatories.directory.version import drop_change_triggers

    drop_change_triggers(schema_editor.connection)


def create_the_row(apps, schema_editor):
    DirectoryCounter = apps.get_model("signatories", "DirectoryCounter")
    DirectoryCounter.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"changes": 0}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0004_event_created_at_default"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changes", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
