"""Shared fixtures: one app and schema per session, every table emptied after each test."""

import contextvars
import inspect
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from lms import create_app, pagecache
from lms.accounts import services as accounts
from lms.accounts.models import Role, User
from lms.content.importer import import_courses
from lms.extensions import db, limiter
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from tests import snapshots

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
                "PUBLIC_URL": "https://akademia.example",
                "CREDENTIAL_KEYS_DIR": f"{tmp}/credential-keys",  # never the checkout's instance/ folder
                # scrypt costs ~0.1 s a hash, and nearly every test creates or signs in people.
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
                # Tests sign admins and trainers in with a password; tests/twofactor turn the second step on.
                "REQUIRE_TOTP": False,
            }
        )
        app.test_client_class = IsolatedClient
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                event.listen(db.engine, "connect", _without_fsync)
            db.drop_all()
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _without_fsync(dbapi_connection, _record):
    """A throw-away database need not survive a power cut: commits stop waiting for the disk."""
    dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with empty tables and an app context."""
    with app.app_context():
        yield
        db.session.remove()
        _empty_tables()
        limiter.reset()
        # Page copies outlive a test's data: a snapshot (see ``snapshot``) brings back the same ids.
        pagecache.clear_all()


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


@pytest.fixture(scope="session")
def _snapshots() -> dict[str, snapshots.Snapshot]:
    """What ``snapshot`` saved this session, by builder."""
    return {}


@pytest.fixture
def snapshot(request, _snapshots, make_user):
    """``snapshot(build)``: a world built by the first test that asks for it, and loaded back for the others.

    ``build`` is a plain function whose parameters name fixtures, as a fixture's do; it must commit what it
    writes, and return model instances in dicts, lists, tuples or a SimpleNamespace (they come back loaded
    by primary key). The rows it wrote are saved only when it started from an empty database, and loaded
    back only into an empty one: a test that wrote something before (another fixture came first) runs
    ``build`` again, exactly as without snapshots. Each test still gets its own copy of the world, emptied
    after it, so it may change the world freely.
    """

    def load_or_build(build):
        key = f"{build.__module__}.{build.__qualname__}"
        empty = snapshots.database_is_empty()
        if empty and key in _snapshots:
            saved = _snapshots[key]
            make_user.made += saved.users_made
            return snapshots.load(saved)
        made_before = make_user.made
        result = build(**{name: request.getfixturevalue(name) for name in inspect.signature(build).parameters})
        if empty:
            _snapshots[key] = snapshots.take(result, make_user.made - made_before)
        return result

    return load_or_build


@pytest.fixture
def mini_programme(snapshot):
    """The small test programme from tests/data/courses/mini, imported."""
    return snapshot(import_mini_programme)


def import_mini_programme(app):
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


PASSWORD = "Zielona-Łąka-2026"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(client, user_or_email, password: str = PASSWORD):
    """Sign in through the real form (CSRF token included); return the response."""
    email = getattr(user_or_email, "email", user_or_email)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def post_form(client, url: str, data: dict | None = None, token_from: str | None = None):
    """POST ``data`` to ``url`` with a CSRF token taken from ``token_from`` (default: ``url``)."""
    token = csrf_token(client.get(token_from or url).get_data(as_text=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def make_institution():
    """Factory: an institution (committed)."""

    def make(name="OPS w Testowie", voivodeship=Voivodeship.MAZOWIECKIE, kind=InstitutionKind.OPS):
        institution = Institution(name=name, kind=kind, gmina="Testowo", powiat="testowski", voivodeship=voivodeship)
        db.session.add(institution)
        db.session.commit()
        return institution

    return make


@pytest.fixture
def make_user():
    """Factory: a person with roles and an institution (committed); password ``PASSWORD``."""

    def make(*roles: Role, institution=None, email=None, name=None) -> User:
        make.made += 1
        user = accounts.create_user(
            email or f"osoba{make.made}@example.org",
            name or f"Osoba {make.made}",
            PASSWORD,
            roles or [Role.ANIMATOR],
            institution=institution,
        )
        db.session.commit()
        return user

    make.made = 0  # people numbered so far (a snapshot's people count too: see ``snapshot``)
    return make


def outbox(recipient: str | None = None):
    """Messages in the outbox, newest last."""
    from sqlalchemy import select

    from lms.mail.models import OutboxMessage

    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if recipient:
        statement = statement.where(OutboxMessage.recipient == recipient)
    return db.session.scalars(statement).all()


def link_in(message) -> str:
    """The path of the first link in an e-mail body."""
    import re
    from urllib.parse import urlsplit

    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def english(client) -> None:
    """Switch the client's interface to English, so assertions use the source (msgid) texts."""
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 302


def confirm_if_waiting(attempt):
    """An institution deliverable submitted by staff waits for its coordinator: a coordinator of the institution
    confirms it, as they would before any trainer decides (lms.learning.confirmation). Returns the attempt."""
    from sqlalchemy import select

    from lms.accounts.models import UserRole
    from lms.learning import confirmation
    from lms.learning.models import Work, WorkStatus

    # Read without loading the work into the session: a later request changes it behind the test's back.
    if db.session.scalar(select(Work.status).where(Work.id == attempt.work_id)) is WorkStatus.AWAITING_CONFIRMATION:
        work = attempt.work
        coordinator = db.session.scalar(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.institution_id == work.institution_id, UserRole.role == Role.COORDINATOR)
            .order_by(User.id)
            .limit(1)
        )
        confirmation.confirm(work, coordinator)
        db.session.commit()
    return attempt
