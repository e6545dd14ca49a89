"""Refuse UPDATE and DELETE on the audit trail at the database, on PostgreSQL.

The model refuses them too; this closes the door for raw SQL and bulk queries. The one
update let through is the SET_NULL of a deleted review or user, which keeps the copied names.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reviewapp_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.review_id IS NULL OR NEW.review_id = OLD.review_id)
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND NEW.review_slug = OLD.review_slug AND NEW.actor_username = OLD.actor_username
       AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id AND NEW.at = OLD.at
       AND NEW.before IS NOT DISTINCT FROM OLD.before
       AND NEW.after IS NOT DISTINCT FROM OLD.after THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviewapp_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON reviewapp_auditevent
    FOR EACH ROW EXECUTE FUNCTION reviewapp_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS reviewapp_auditevent_no_update_delete ON reviewapp_auditevent;
DROP FUNCTION IF EXISTS reviewapp_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("reviewapp", "0001_core")]
    operations = [migrations.RunPython(forwards, backwards)]
