"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.content.importer import import_courses
from lms.demo.data import load_demo
from lms.extensions import db
from lms.learning import completions
from tests.conftest import REAL_COURSES


@pytest.fixture
def empty_database_url(app, tmp_path):
    """A URL of a brand-new, empty database on the same kind of server the suite uses."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    name = f"lms_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_upgrade_to_the_models_and_back(empty_database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], "models and migrations disagree: run `flask db migrate`"
        downgrade(revision="base")
        db.engine.dispose()


def test_the_completions_migration_fills_in_what_the_app_keeps(empty_database_url):
    """Upgrading a database that has data computes ``module_completion`` as the app would keep it."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert not import_courses(REAL_COURSES).errors
        load_demo("hasło-demo-123")
        kept = completions.stored(db.session.connection())
        assert kept and kept == completions.computed(db.session.connection())
        db.session.remove()

        downgrade(revision="09c5c468bdc2")  # the revision before module_completion
        upgrade()
        assert completions.stored(db.session.connection()) == kept
        db.session.remove()
        db.engine.dispose()
