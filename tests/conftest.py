"""Shared fixtures: one app and schema per session, every table emptied after each test."""

import contextvars
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from lms import create_app
from lms.content.importer import import_courses
from lms.extensions import db

TESTS_DIR = Path(__file__).parent
MINI_COURSES = TESTS_DIR / "data" / "courses" / "mini"
REAL_COURSES = TESTS_DIR.parent / "courses"


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an already-pushed app context for a request; tests keep one pushed for
    database access, so without this ``g`` (the signed-in user, the locale) would leak
    from one request to the next. Each request runs in an empty context, as in production.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The application on a throw-away database (SQLite file, or LMS_TEST_DATABASE_URL)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{tmp}/test.sqlite3"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key",
                "SQLALCHEMY_DATABASE_URI": url,
                "COURSES_PATH": str(REAL_COURSES),
            }
        )
        app.test_client_class = IsolatedClient
        with app.app_context():
            db.drop_all()
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with empty tables and an app context."""
    with app.app_context():
        yield
        db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # Outside a transaction, so the pragma applies: rows reference each other in a cycle.
        cursor.execute("PRAGMA foreign_keys=OFF")
        for name in tables:
            cursor.execute(f'DELETE FROM "{name}"')
        raw.commit()
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


@pytest.fixture
def client(app):
    """A test client (CSRF is enforced, as in production)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The Flask CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def mini_programme(app):
    """The small test programme from tests/data/courses/mini, imported."""
    report = import_courses(MINI_COURSES)
    assert not report.errors, report.errors
    return report


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements: ``with count_queries() as counter: ...; counter.count``."""

    @contextmanager
    def counting():
        counter = type("Counter", (), {"count": 0})()

        def before(*_args, **_kwargs):
            counter.count += 1

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting
