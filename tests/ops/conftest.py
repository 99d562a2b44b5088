"""Fixtures for running the platform: brand-new databases of the kind the suite runs on."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from tests.conftest import IsolatedClient


@pytest.fixture
def new_database_url(app, tmp_path):
    """``new_database_url()``: the URL of a brand-new, empty database on the suite's kind of server."""
    base = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    created = []

    def make() -> str:
        if base.get_backend_name() != "postgresql":
            return f"sqlite:///{tmp_path / f'new-{len(created)}.sqlite3'}"
        name = f"lms_ops_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    yield make
    with admin.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def app_on(url: str, **config):
    """Another instance of the app, on the database at ``url`` (as a second server would be)."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "PUBLIC_URL": "https://akademia.example",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "REQUIRE_TOTP": False,  # as tests/conftest.py: seeded admins and trainers sign in with a password
            **config,
        }
    )
    other.test_client_class = IsolatedClient
    return other
