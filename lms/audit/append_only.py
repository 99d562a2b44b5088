"""The audit log is append-only on PostgreSQL: a trigger refuses every UPDATE and DELETE of its rows.

The migration installs it on real databases; ``models.py`` installs the same statements when the test
suite creates its tables, so every PostgreSQL test runs against the rule. SQLite has no such guard (it is
for a single machine and tests).
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$body$
"""

TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""

DROP = (
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
)
