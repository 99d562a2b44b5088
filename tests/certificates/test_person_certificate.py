"""The person certificate: issued once, automatically, the moment the last required assignment is accepted."""

import shutil
import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.certificates.checklist import person_status
from lms.certificates.models import Certificate, CertificateKind
from lms.content.importer import import_courses
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.decisions import Decision
from lms.learning.models import Attempt
from lms.notifications.models import Notification
from tests.certificates.conftest import decide, submit
from tests.conftest import MINI_COURSES, login


def certificates():
    return db.session.scalars(select(Certificate)).all()


def test_accepting_the_last_required_assignment_issues_the_certificate_once(world):
    attempt = submit(world["animator"], world["edition"], "profil")
    decide(attempt, world["trainer"])
    [certificate] = certificates()
    assert certificate.kind is CertificateKind.PERSON
    assert certificate.holder_id == world["animator"].id
    assert certificate.issued_by_id == world["trainer"].id
    assert certificate.edition_id == world["edition"].id
    assert certificate.title == "Zaświadczenie testowe" and certificate.level == 1
    assert certificate.basis["assignment_versions"] == [attempt.assignment_version_id]
    assert certificate.basis["module_versions"] == [attempt.assignment_version.module_version_id]
    assert len(certificate.code) == 16
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Certificate")).all()
    assert events == ["certificate.issued"]
    assert db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == world["animator"].id, Notification.message.contains("Zaświadczenie testowe")
        )
    )


def test_no_certificate_while_a_required_assignment_is_missing_or_in_revision(world):
    attempt = submit(world["animator"], world["edition"], "profil")
    decide(attempt, world["trainer"], Decision.REVISION_REQUESTED)
    assert certificates() == []
    status = person_status(world["animator"], world["programme"], world["edition"].id)
    assert [v.title for v in status.missing] == ["Mój profil animatora"]
    assert status.status_of(status.missing[0]) == "revision_requested"


def test_institution_deliverables_do_not_count_toward_the_person_certificate(world):
    decide(submit(world["animator"], world["edition"], "mapa"), world["trainer"])
    assert certificates() == []


def test_work_accepted_in_another_edition_does_not_count(world):
    other = Edition(
        name="Inna edycja", programme=world["programme"], voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), trainers=[world["trainer"]],
        institutions=[world["institution"]],
    )  # fmt: skip
    db.session.add(other)
    db.session.flush()
    db.session.add(Enrolment(edition_id=other.id, user_id=world["animator"].id, enrolled_by_id=world["admin"].id))
    db.session.commit()
    decide(submit(world["animator"], other, "profil"), world["trainer"])
    assert len(certificates()) == 1  # earned in ``other``
    status = person_status(world["animator"], world["programme"], world["edition"].id)
    assert status.certificate is not None  # held, shown as held everywhere
    assert [v.title for v in status.missing] == ["Mój profil animatora"]  # this edition's own work is still missing


def test_two_racing_acceptances_issue_exactly_one_certificate(app, world, tmp_path):
    """Two required assignments accepted at the same moment by two trainers: one certificate, not zero or two."""
    courses = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, courses)
    module_two = courses / "poziom-1/02-drugi.md"
    text = module_two.read_text(encoding="utf-8")
    module_two.write_text(
        text.replace(
            "assignments:\n",
            "assignments:\n  - slug: wywiady\n    title: Wywiady\n    scope: person\n    required: true\n"
            "    instructions: Przeprowadź wywiady.\n    criteria:\n      - Trzy wywiady.\n",
            1,
        ),
        encoding="utf-8",
    )
    assert not import_courses(courses).errors
    second_trainer = world["trainer"]
    first = submit(world["animator"], world["edition"], "profil")
    second = submit(world["animator"], world["edition"], "wywiady")
    first_id, second_id = first.id, second.id
    barrier = threading.Barrier(2)
    errors = []

    def accept(attempt_id):
        with app.app_context():
            try:
                attempt = db.session.get(Attempt, attempt_id)
                trainer = db.session.get(User, second_trainer.id)
                assert trainer.has_role(Role.TRAINER)
                barrier.wait(timeout=10)
                decide(attempt, trainer)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in (first_id, second_id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    assert len(certificates()) == 1


def test_the_database_refuses_a_second_person_certificate(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    [issued] = certificates()
    db.session.add(
        Certificate(
            kind=CertificateKind.PERSON, code="A" * 16, title="x", programme_id=issued.programme_id,
            holder_id=issued.holder_id, institution_id=issued.institution_id, issued_by_id=issued.issued_by_id,
        )
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_my_certificates_page_shows_what_is_missing_then_the_certificate(app, world):
    client = app.test_client()
    login(client, world["animator"])
    html = client.get("/certificates/").get_data(as_text=True)
    assert "Zaświadczenie testowe" in html and "Mój profil animatora" in html and "Pobierz PDF" not in html
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    html = client.get("/certificates/").get_data(as_text=True)
    assert "Pobierz PDF" in html
