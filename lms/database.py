"""Database engine tuning that must apply to every connection, and running statements of columns."""

import sqlite3

from sqlalchemy import Executable, Row, event
from sqlalchemy.engine import Engine

from lms.extensions import db


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """Enforce foreign keys and let readers and one writer work at once (WAL) on SQLite."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def column_rows(statement: Executable, parameters: dict) -> list[Row]:
    """The rows of a statement of columns only (no entities), run on the session's connection.

    With no entities to build, the ORM's execution layer has nothing to do but costs a third of a small
    statement's time; a dashboard runs ten of them. Pending changes are flushed first, as ``Session.execute``
    would do."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(statement, parameters).all()
