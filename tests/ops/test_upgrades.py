"""Every migration, tested: an empty database upgrades to the newest revision, and a database holding data
at each earlier revision upgrades to the newest without losing a row, after which people can still sign in.

The data at an earlier revision is the demo data loaded at the newest revision and downgraded to it, so
each revision's tables hold real rows (accounts, editions, attempts, reviews, certificates, the outbox).
"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, table

from lms.config import PROJECT_ROOT
from lms.content.importer import import_courses
from lms.demo.data import load_demo
from lms.extensions import db
from tests.conftest import REAL_COURSES, login
from tests.ops.conftest import app_on

DEMO_PASSWORD = "Demo-Hasło-2026"


def _revisions_newest_first() -> list[str]:
    return [script.revision for script in ScriptDirectory(str(PROJECT_ROOT / "migrations")).walk_revisions()]


def _row_counts() -> dict[str, int]:
    connection = db.session.connection()
    names = [name for name in inspect(connection).get_table_names() if name != "alembic_version"]
    return {name: connection.scalar(select(func.count()).select_from(table(name))) for name in names}


def _models_match_the_schema() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_every_earlier_revision_upgrades_to_the_newest_with_its_data(new_database_url):
    revisions = _revisions_newest_first()
    head, earlier = revisions[0], revisions[1:]
    migrated = app_on(new_database_url())
    with migrated.app_context():
        upgrade()  # from an empty database
        assert _models_match_the_schema() == []
        assert not import_courses(REAL_COURSES).errors
        admin_email = load_demo(DEMO_PASSWORD)[0][0]
        db.session.commit()
        at_head = _row_counts()
        assert at_head["attempt"] and at_head["review"] and at_head["certificate"]
        db.session.remove()

        signed_in_from = []
        for revision in earlier:  # newest first: each step down keeps the rows its schema can hold
            downgrade(revision=revision)
            before = _row_counts()
            db.session.remove()
            upgrade()
            after = _row_counts()
            # A table the newest schema no longer has (e.g. data_revision) was retired on purpose.
            kept = {name: count for name, count in before.items() if name in db.metadata.tables}
            lost = {name: (count, after.get(name)) for name, count in kept.items() if after.get(name) != count}
            assert not lost, f"upgrading from {revision} to {head} changed row counts: {lost}"
            assert _models_match_the_schema() == [], f"upgrading from {revision} does not reach the models"
            db.session.remove()
            if before.get("user"):  # people existed at that revision: they can still sign in and work
                client = migrated.test_client()
                assert login(client, admin_email, DEMO_PASSWORD).status_code == 302, revision
                assert client.get("/admin/system/").status_code == 200
                signed_in_from.append(revision)
        db.engine.dispose()
    assert len(signed_in_from) == len(earlier) - 1  # all but the first revision (courses only) had people
