"""The database itself keeps the data collection's records: staff actions on cycles and the
raw-data access log are never edited or deleted, and a submitted revision only ever changes by
the erasure its organisation asked for."""

from django.db import migrations

from charter.migration_operations import PostgresOnlyRunSQL, append_only_sql

CYCLE_EVENTS = append_only_sql("pledges_cycleevent", "cycle events")
RAW_ACCESS = append_only_sql("pledges_rawdataaccess", "raw data access records")

# A revision may be updated only inside a transaction that ran
# ``SET LOCAL charter.erasing_figures = 'on'`` (pledges.retention does), and then only to mark it
# erased; it is never deleted.
REVISIONS = """
CREATE OR REPLACE FUNCTION pledges_returnrevision_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('charter.erasing_figures', true) = 'on'
       AND NEW.erased_at IS NOT NULL
       AND NEW.number = OLD.number
       AND NEW.data_return_id = OLD.data_return_id
       AND NEW.submitted_at = OLD.submitted_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'submitted revisions are never edited or deleted (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pledges_returnrevision_immutable
    BEFORE UPDATE OR DELETE ON pledges_returnrevision
    FOR EACH ROW EXECUTE FUNCTION pledges_returnrevision_immutable();
"""
REVISIONS_REVERSE = """
DROP TRIGGER IF EXISTS pledges_returnrevision_immutable ON pledges_returnrevision;
DROP FUNCTION IF EXISTS pledges_returnrevision_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("pledges", "0004_data_collection")]

    operations = [
        PostgresOnlyRunSQL(CYCLE_EVENTS[0], reverse_sql=CYCLE_EVENTS[1]),
        PostgresOnlyRunSQL(RAW_ACCESS[0], reverse_sql=RAW_ACCESS[1]),
        PostgresOnlyRunSQL(REVISIONS, reverse_sql=REVISIONS_REVERSE),
    ]
