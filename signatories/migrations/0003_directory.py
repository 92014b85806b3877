"""The directory's name search on PostgreSQL: the charter_fold() function and a trigram index.

charter_fold(text) lower-cases and strips accents. unaccent() itself is only STABLE (it reads a
dictionary that could change), so it cannot appear in an index; this wrapper names the dictionary
explicitly and is declared IMMUTABLE, the documented way to index unaccented text. On SQLite the
same function is registered from Python on each connection (signatories/search.py), and there is
no index: SQLite scans, which is fine at the embedded default's size.

The index expression must stay exactly what signatories.search.SearchText generates.
Depends on 0003_workspace only so the two 0003 migrations form one line, not two leaves.
"""

from django.db import migrations

CREATE_SQL = [
    """
    CREATE OR REPLACE FUNCTION charter_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
    """,
    """
    CREATE INDEX IF NOT EXISTS signatories_organisation_search_trgm
    ON signatories_organisation
    USING gin (charter_fold(public_name || ' ' || legal_name) gin_trgm_ops)
    """,
]
DROP_SQL = [
    "DROP INDEX IF EXISTS signatories_organisation_search_trgm",
    "DROP FUNCTION IF EXISTS charter_fold(text)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0003_workspace"),
        ("charter", "0003_postgres_extensions"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
