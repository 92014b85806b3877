"""The directory's search entries (DirectorySearchEntry): one narrow row per active signatory
with its folded search text and filter values, a trigram index on the text, kept by statement
triggers (signatories/directory/facet_counts.py) on PostgreSQL and filled once here.

A searched page's facet counts read every signatory the search finds: from the organisation
table, one heap page per match (3,342 pages for the 4,939 matches of "tech" at 100,000
signatories) and charter_fold() run again on each; from these rows, a seventh of the size, a
LIKE on stored text.
"""

from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from signatories.directory.facet_counts import install_entry_triggers

    install_entry_triggers(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from signatories.directory.facet_counts import drop_entry_triggers

    drop_entry_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0009_directory_facet_cells"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectorySearchEntry",
            fields=[
                ("organisation_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("search_text", models.TextField()),
                ("sector", models.CharField(max_length=20)),
                ("size_band", models.CharField(max_length=10)),
                ("region", models.CharField(max_length=20)),
                ("organisation_type", models.CharField(max_length=20)),
                ("year", models.PositiveSmallIntegerField()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
