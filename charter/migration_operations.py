"""Migration operations shared by the apps' migrations."""

from django.db import migrations


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (the embedded SQLite default)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def append_only_sql(table: str, what: str) -> tuple[str, str]:
    """A trigger that refuses UPDATE and DELETE on ``table``, and its reverse. TRUNCATE (as the
    test suite does between tests) is not a row-level change and still works."""
    function = f"{table}_append_only"
    forwards = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{what} are never edited or deleted (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER {function}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    reverse = f"""
DROP TRIGGER IF EXISTS {function} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    return forwards, reverse
