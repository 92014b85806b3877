"""PostgreSQL's charter_fold() made to agree with SQLite's, and an index for sorting by name.

charter_fold() was lower(unaccent(...)); SQLite's is Python (signatories/search.py). The two
disagreed on hundreds of characters (Cyrillic "й", Greek final sigma and symbols, ordinal
indicators). Both now run the same steps from the same table (signatories.search.fold and
POSTGRES_FOLD_SQL), and a test compares them on PostgreSQL.

The trigram index is built on charter_fold(), so it is rebuilt. The new index serves the
directory's default order, name A to Z in any case and with or without accents
(signatories.search.NameSortKey), for active signatories.
"""

from django.db import migrations

OLD_FOLD_SQL = """
    CREATE OR REPLACE FUNCTION charter_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""
NAME_SORT_INDEX_SQL = """
    CREATE INDEX IF NOT EXISTS signatories_organisation_name_sort
    ON signatories_organisation ((charter_fold(public_name)) COLLATE "C", signatory_number)
    WHERE status = 'active'
"""
REINDEX_SQL = "REINDEX INDEX signatories_organisation_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from signatories.search import POSTGRES_FOLD_SQL

    schema_editor.execute(POSTGRES_FOLD_SQL)
    schema_editor.execute(REINDEX_SQL)
    schema_editor.execute(NAME_SORT_INDEX_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS signatories_organisation_name_sort")
    schema_editor.execute(OLD_FOLD_SQL)
    schema_editor.execute(REINDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0006_application_withdrawn_and_append_only_events"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
