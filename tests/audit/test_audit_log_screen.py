"""The audit log screen: filters, pages and a CSV with the screen's columns; a coordinator reads only their
institution's events; bad filters get a Polish message and a 400, never a 500."""

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.audit.services import record, record_access
from lms.certificates import codes
from lms.certificates import services as certificates
from lms.certificates.models import Certificate, CertificateKind
from lms.extensions import db
from tests.conftest import login


def _signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code == 302
    return client


def _numbers(html: str) -> list[int]:
    """The event numbers in the table's first column."""
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", html)]


@pytest.fixture
def reads(app, world):
    """The trainer reads the animator's attempt and file (institution A); the other trainer reads nothing."""
    trainer = _signed_in(app, world["people"]["trainer"])
    assert trainer.get(f"/reviews/attempts/{world['work'].attempts[0].id}/").status_code == 200
    assert trainer.get(f"/files/{world['attachment'].id}").status_code == 200
    return world


def _event_id(action: str) -> int:
    return db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == action))


def test_the_admin_filters_by_action_person_object_and_dates(app, reads):
    admin = _signed_in(app, reads["people"]["admin"])
    viewed, downloaded = _event_id("attempt.viewed"), _event_id("attachment.downloaded")
    page = admin.get("/admin/audit/?action=attempt.viewed").get_data(as_text=True)
    assert _numbers(page) == [viewed]
    assert "Wyświetlenie cudzej wersji pracy" in page and "Wersja pracy #" in page
    trainer = reads["people"]["trainer"]
    by_name = _numbers(admin.get(f"/admin/audit/?person={trainer.name}&object_type=Attachment").get_data(as_text=True))
    assert by_name == [downloaded]
    by_id = admin.get(f"/admin/audit/?object_type=Attempt&object_id={reads['work'].attempts[0].id}")
    assert _numbers(by_id.get_data(as_text=True)) == [viewed, _event_id("attempt.submitted")]
    today = datetime.now().date().isoformat()
    assert viewed in _numbers(admin.get(f"/admin/audit/?from={today}&to={today}").get_data(as_text=True))
    assert _numbers(admin.get("/admin/audit/?from=2020-01-01&to=2020-12-31").get_data(as_text=True)) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("object_id=abc", "Podaj numer obiektu"),
        ("object_id=99999999999", "Podaj numer obiektu"),
        ("from=2026-13-45", "RRRR-MM-DD"),
        ("from=2026-05-02&to=2026-05-01", "Data końcowa jest wcześniejsza niż początkowa."),
        ("action=user.hacked", "Wybierz zdarzenie z listy."),
        ("object_type=Secret", "Wybierz rodzaj obiektu z listy."),
        ("person=" + "x" * 101, "Osoba"),
    ],
)
def test_bad_filters_are_refused_in_polish(app, world, query, message):
    admin = _signed_in(app, world["people"]["admin"])
    for url in (f"/admin/audit/?{query}", f"/admin/audit/export.csv?{query}"):
        response = admin.get(url)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_the_log_is_paged_newest_first(app, world):
    admin = world["people"]["admin"]
    for _ in range(app.config["PAGE_SIZE"] + 1):
        record_access(admin.id, "report.exported", "Report", None)
    db.session.commit()
    client = _signed_in(app, admin)
    first = _numbers(client.get("/admin/audit/?action=report.exported").get_data(as_text=True))
    second = _numbers(client.get("/admin/audit/?action=report.exported&page=2").get_data(as_text=True))
    assert len(first) == app.config["PAGE_SIZE"] and len(second) == 1
    assert first == sorted(first, reverse=True) and second[0] < first[-1]


def test_the_csv_has_the_screens_columns_and_rows_and_is_itself_logged(app, reads):
    admin = _signed_in(app, reads["people"]["admin"])
    query = f"person={reads['people']['trainer'].id}"
    page = admin.get(f"/admin/audit/?{query}").get_data(as_text=True)
    response = admin.get(f"/admin/audit/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["Nr", "Kiedy (czas warszawski)", "Kto", "Zdarzenie", "Obiekt"]
    for heading in lines[0]:
        assert f'<th scope="col">{heading}</th>' in page
    assert [int(line[0]) for line in lines[1:]] == _numbers(page)
    assert all(reads["people"]["trainer"].name in line[2] for line in lines[1:])
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "audit_log.exported")) == 1


def test_a_coordinator_reads_only_their_institutions_events(app, reads):
    own = _signed_in(app, reads["people"]["coordinator"])
    other = _signed_in(app, reads["people"]["coordinator_other"])
    viewed, downloaded = _event_id("attempt.viewed"), _event_id("attachment.downloaded")
    own_page = own.get("/admin/audit/").get_data(as_text=True)
    assert {viewed, downloaded} <= set(_numbers(own_page)) and "OPS A" in own_page
    others = _numbers(other.get("/admin/audit/").get_data(as_text=True))
    assert viewed not in others and downloaded not in others
    # what coordinator B sees is B's: their own sign-in, among others
    coordinator_b = reads["people"]["coordinator_other"]
    mine = db.session.scalars(select(AuditEvent.id).where(AuditEvent.actor_id == coordinator_b.id))
    assert set(mine) <= set(others)
    exported = other.get("/admin/audit/export.csv").get_data(as_text=True)
    assert reads["people"]["trainer"].name not in exported


def test_animators_and_trainers_cannot_read_the_log(app, world):
    for role in ("animator", "trainer"):
        assert _signed_in(app, world["people"][role]).get("/admin/audit/").status_code == 403


def test_a_deliverables_confirmation_is_labelled_and_filterable(app, world):
    admin = world["people"]["admin"]
    record(world["people"]["coordinator"], "attempt.confirmed", world["work"].attempts[0], number=1)
    db.session.commit()
    response = _signed_in(app, admin).get("/admin/audit/?action=attempt.confirmed")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(_numbers(html)) == 1
    assert '<option value="attempt.confirmed" selected>Potwierdzenie rezultatu w imieniu instytucji<' in html
    assert "<td>Potwierdzenie rezultatu w imieniu instytucji</td>" in html


def test_closing_the_privacy_notice_names_the_person_not_a_proxy(app, world):
    animator = world["people"]["animator"]
    client = _signed_in(app, animator)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/privacy/seen", data={"csrf_token": token}).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy_notice.seen"))
    assert (event.object_type, event.object_id) == ("User", animator.id)
    html = (
        _signed_in(app, world["people"]["admin"]).get("/admin/audit/?action=privacy_notice.seen").get_data(as_text=True)
    )
    assert f"Osoba (konto) #{animator.id}" in html and "LocalProxy" not in html


def test_revoking_is_labelled_by_the_certificates_kind_also_in_older_rows(app, world):
    admin = world["people"]["admin"]
    institutional = Certificate(
        kind=CertificateKind.INSTITUTION, code=codes.new_code(), title="Certyfikat", level=None,
        programme_id=world["certificate"].programme_id, institution_id=world["institution"].id, issued_by_id=admin.id,
    )  # fmt: skip
    db.session.add(institutional)
    db.session.commit()
    certificates.revoke(world["certificate"], admin, "Plagiat.")
    certificates.revoke(institutional, admin, "Wizytacja wykazała braki.")
    record(admin, "certificate.revoked", institutional)  # as revocations were written before 2026-12
    db.session.commit()
    client = _signed_in(app, admin)
    person = client.get("/admin/audit/?action=certificate.revoked").get_data(as_text=True)
    institution = client.get("/admin/audit/?action=certification.revoked").get_data(as_text=True)
    assert len(_numbers(person)) == 1 and "<td>Unieważnienie zaświadczenia</td>" in person
    assert len(_numbers(institution)) == 2 and institution.count("<td>Unieważnienie certyfikatu</td>") == 2
