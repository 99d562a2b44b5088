"""Evidence is kept only as long as programme.yaml says: expired files become tombstones that keep name,
hash, size and date; reviews and certificates stay, and verification keeps working."""

import shutil
from datetime import timedelta

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.certificates.codes import readable
from lms.certificates.models import Certificate
from lms.content.models import Programme
from lms.content.reader import read_programme
from lms.extensions import db
from lms.learning import services
from lms.learning.decisions import Decision, Review
from lms.learning.files import check_upload
from lms.learning.models import Attachment, StoredFile, Work
from lms.privacy.models import PurgedFile
from tests.conftest import MINI_COURSES
from tests.learning.test_cycle import judge, signed_in, text_of
from tests.privacy.corpus import docx

LIST = docx(["Lista obecności", "Anna Kowalska", "Jan Nowak"])


def accepted_with_file(world, months_ago: int):
    version = services.current_assignment_version(world.profil)
    work = services.work_for(world.animator, world.edition, world.profil, version.scope)
    services.attach(work, check_upload("lista.docx", LIST, 10**6), world.animator)
    attempt = services.submit(work, "Lista w załączniku.", world.animator)
    db.session.commit()
    judge(attempt, world.trainer, met=True, decision=Decision.ACCEPTED)
    work = db.session.get(Work, work.id)
    work.accepted_at = utcnow() - timedelta(days=31 * months_ago)
    db.session.commit()
    return db.session.scalar(select(Attachment).where(Attachment.attempt_id == attempt.id))


def keep_for(months: int, **rules) -> None:
    db.session.scalar(select(Programme)).retention = {"assignments": {"profil": months}, **rules}
    db.session.commit()


def test_an_expired_file_becomes_a_tombstone_and_everything_else_stays(app, world):
    attachment = accepted_with_file(world, months_ago=13)
    stored = db.session.get(StoredFile, attachment.stored_file_id)
    sha256, size = stored.sha256, stored.size
    keep_for(12)
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "purged 1 file(s)" in result.output
    db.session.expire_all()
    stored = db.session.get(StoredFile, attachment.stored_file_id)
    assert (stored.sha256, stored.size) == (sha256, size)
    assert b"Lista obecno" not in stored.content and sha256 in stored.content.decode()
    assert db.session.get(PurgedFile, stored.id).reason == "retention"
    assert db.session.get(Attachment, attachment.id).filename == "lista.docx"
    assert db.session.scalar(select(Review)).decision is Decision.ACCEPTED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "file.purged"))
    assert event.details == {"sha256": sha256, "months": event.details["months"]}  # no file name: it may name someone
    trainer = signed_in(app, world.trainer)
    assert b"Lista obecno" not in trainer.get(f"/files/{attachment.id}").data
    certificate = db.session.scalar(select(Certificate))
    if certificate is not None:  # the mini programme certifies on this acceptance
        assert "Valid certificate" in text_of(trainer.get(f"/verify/{readable(certificate.code)}"))
    # a second run finds nothing more to do
    assert "purged 0 file(s)" in app.test_cli_runner().invoke(args=["privacy", "purge"]).output


def test_a_file_within_its_period_or_without_a_rule_is_kept(app, world):
    attachment = accepted_with_file(world, months_ago=11)
    keep_for(12)
    assert "purged 0" in app.test_cli_runner().invoke(args=["privacy", "purge"]).output
    db.session.scalar(select(Programme)).retention = {}
    db.session.commit()
    assert "purged 0" in app.test_cli_runner().invoke(args=["privacy", "purge"]).output
    db.session.expire_all()
    assert db.session.get(StoredFile, attachment.stored_file_id).content == check_upload("l.docx", LIST, 10**6).content


def test_the_shortest_rule_applies_and_jobs_run_purges_too(app, world):
    accepted_with_file(world, months_ago=7)
    keep_for(24, kinds={"docx": 6})
    result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert "retention: purged 1" in result.output


def test_programme_yaml_declares_retention_and_bad_values_are_reported(tmp_path):
    folder = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, folder)
    programme_yaml = (MINI_COURSES / "programme.yaml").read_text(encoding="utf-8")
    (folder / "programme.yaml").write_text(
        programme_yaml + "retention:\n  evidence_months: 36\n  assignments:\n    profil: 12\n  kinds:\n    jpeg: 6\n",
        encoding="utf-8",
    )
    errors = []
    spec = read_programme(folder, errors)
    assert errors == []
    assert spec.retention == {"evidence_months": 36, "assignments": {"profil": 12}, "kinds": {"jpeg": 6}}
    (folder / "programme.yaml").write_text(programme_yaml + "retention:\n  evidence_months: zero\n", encoding="utf-8")
    errors = []
    assert read_programme(folder, errors) is None and "evidence_months" in str(errors[0])
