"""``flask backup``: a backup restores into a new database with every row and file intact."""

import json

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.content.importer import import_courses
from lms.content.models import Assignment
from lms.content.spec import Scope
from lms.demo.data import load_demo
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.files import check_upload
from lms.learning.models import WorkStatus
from lms.ops.fingerprints import stored_files_intact, table_fingerprints
from tests.conftest import REAL_COURSES, login
from tests.ops.conftest import app_on

DEMO_PASSWORD = "Demo-Hasło-2026"


@pytest.fixture
def seeded(app):
    """The demo world (people, an edition, accepted work, certificates) plus an uploaded file."""
    assert not import_courses(REAL_COURSES).errors
    logins = load_demo(DEMO_PASSWORD)
    enrolment = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).first()
    learner, edition = db.session.get(User, enrolment.user_id), db.session.get(Edition, enrolment.edition_id)
    works = (learning.work_for(learner, edition, a, Scope.PERSON) for a in db.session.scalars(select(Assignment)))
    work = next(w for w in works if w.status is WorkStatus.DRAFT and w.scope is Scope.PERSON)
    content = "Notatki ze spotkania z mieszkańcami — zażółć gęślą jaźń.\n".encode() * 200
    learning.attach(work, check_upload("notatki.txt", content, 10 * 1024 * 1024), learner)
    db.session.commit()
    return logins


def _fingerprints(some_app):
    with some_app.app_context(), db.engine.connect() as connection:
        return table_fingerprints(connection)


def test_a_backup_restores_into_a_new_database_with_everything_equal(app, runner, seeded, new_database_url, tmp_path):
    made = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    original = _fingerprints(app)
    assert manifest["tables"] == original
    assert manifest["stored_files"]["count"] == 1
    assert original["certificate"]["rows"] > 0 and original["attempt"]["rows"] > 0

    assert runner.invoke(args=["backup", "verify", str(tmp_path / "b")]).exit_code == 0

    restored_app = app_on(new_database_url())
    with restored_app.app_context():  # the CLI runs in the app context it finds
        restored = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output

    assert _fingerprints(restored_app) == original
    with restored_app.app_context(), db.engine.connect() as connection:
        assert stored_files_intact(connection)[2] == []
        code = db.session.scalars(select(Certificate.code)).first()
    client = restored_app.test_client()
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Ważne zaświadczenie" in page or "Ważny certyfikat" in page
    email = seeded[0][0]
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    assert client.get("/certificates/").status_code == 200


def test_restore_refuses_a_database_that_is_not_empty(app, runner, seeded, tmp_path):
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b")]).exit_code == 0
    before = _fingerprints(app)
    refused = runner.invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert refused.exit_code == 1
    assert "nie jest pusta" in refused.output
    assert _fingerprints(app) == before


def test_verify_finds_a_changed_or_incomplete_backup(runner, seeded, tmp_path):
    folder = tmp_path / "b"
    assert runner.invoke(args=["backup", "create", str(folder)]).exit_code == 0
    copy = next(path for path in folder.iterdir() if path.name.startswith("database."))
    with copy.open("r+b") as handle:
        handle.seek(copy.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    damaged = runner.invoke(args=["backup", "verify", str(folder)])
    assert damaged.exit_code == 1 and "suma kontrolna" in damaged.output

    (folder / "manifest.json").unlink()
    incomplete = runner.invoke(args=["backup", "verify", str(folder)])
    assert incomplete.exit_code == 1 and "manifest.json" in incomplete.output


def test_create_refuses_a_folder_that_already_holds_something(runner, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.txt").write_text("x")
    refused = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert refused.exit_code == 1 and "nie jest pusty" in refused.output


def test_create_names_a_folder_it_cannot_make_instead_of_a_traceback(runner, tmp_path):
    """As when /var/backups/akademia-cal was not made for the service user (README, Instalacja produkcyjna)."""
    (tmp_path / "a-file").write_text("x")
    refused = runner.invoke(args=["backup", "create", str(tmp_path / "a-file" / "b")])
    assert refused.exit_code == 1 and "Nie można użyć" in refused.output and "a-file" in refused.output
    assert "Traceback" not in refused.output
