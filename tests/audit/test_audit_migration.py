"""The migration that makes the log append-only first removes the details that named a person or a file
(rows written before the log named everything by id); on PostgreSQL it then installs the trigger."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lms import create_app
from lms.extensions import db
from tests.test_migrations import empty_database_url  # noqa: F401 (fixture)

BEFORE = "e7a1c0de5f17"


def test_old_details_naming_people_or_files_are_removed_then_the_log_is_closed(empty_database_url):  # noqa: F811
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision=BEFORE)
        rows = [
            ("invitation.created", '{"email": "zenobia@example.org", "role": "animator"}'),
            ("attachment.added", '{"filename": "lista-Zenobii.docx", "sha256": "abc"}'),
            ("attempt.submitted", '{"number": "1"}'),
        ]
        for action, details in rows:
            db.session.execute(
                text(
                    "INSERT INTO audit_event (at, action, object_type, object_id, details)"
                    " VALUES (CURRENT_TIMESTAMP, :action, 'X', 1, :details)"
                ),
                {"action": action, "details": details},
            )
        db.session.commit()
        upgrade()
        stored = db.session.execute(text("SELECT action, details FROM audit_event ORDER BY id")).all()
        assert "zenobia" not in str(stored).lower() and "Zenobii" not in str(stored)
        assert "animator" in str(stored[0]) and "abc" in str(stored[1]) and "number" in str(stored[2])
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text("DELETE FROM audit_event"))
            db.session.rollback()
        db.session.remove()
        db.engine.dispose()
