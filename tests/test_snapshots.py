"""The test worlds' snapshots (tests/snapshots.py): a loaded world is the built one, row for row."""

from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.content.models import Module
from lms.extensions import db
from tests import snapshots
from tests.conftest import _empty_tables, import_mini_programme


def build_world(app, make_institution, make_user):
    report = import_mini_programme(app)
    institution = make_institution()
    return {"report": report, "people": [make_user(Role.COORDINATOR, institution=institution)], "at": institution}


def test_a_loaded_world_has_the_built_rows_and_new_rows_get_the_same_ids(app, make_institution, make_user):
    built = build_world(app, make_institution, make_user)
    saved = snapshots.take(built, make_user.made)
    newcomer = make_user()
    newcomer = (newcomer.id, newcomer.email)
    db.session.remove()
    _empty_tables()
    assert snapshots.database_is_empty()

    make_user.made = saved.users_made
    loaded = snapshots.load(saved)
    assert snapshots.take(None, 0).rows == saved.rows
    # Modules and their current versions refer to each other: both links are back.
    assert all(module.current_version.module_id == module.id for module in db.session.scalars(select(Module)))
    assert loaded["report"] == built["report"]
    assert loaded["at"].name == "OPS w Testowie" and loaded["people"][0].institution == loaded["at"]
    again = make_user()
    assert (again.id, again.email) == newcomer
    assert again.email == "osoba2@example.org"
    assert db.session.scalar(select(db.func.count(User.id))) == 2


def test_a_world_is_built_again_when_the_test_wrote_first(snapshot, make_institution):
    snapshot(build_world)  # saved (or loaded) into the empty database
    db.session.remove()
    _empty_tables()
    first = make_institution("OPS Pierwszy")
    world = snapshot(build_world)
    assert [world["at"].id, world["people"][0].institution_id] == [first.id + 1, first.id + 1]
