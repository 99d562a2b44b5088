"""An admin erases a person on request: one transaction and one audit event; afterwards the person's
name and e-mail appear in no text column and on no page, their files are tombstones, institution work
keeps its history under the label, and their certificate still verifies without a name."""

import json

import pytest
from sqlalchemy import JSON, String, Text, func, select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.certificates.codes import new_code, readable
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Programme
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.learning import services
from lms.learning.decisions import Decision
from lms.learning.files import check_upload
from lms.learning.models import Attachment, Attempt, StoredFile
from tests.conftest import confirm_if_waiting, csrf_token
from tests.learning.test_cycle import judge, signed_in, submit_attempt, text_of
from tests.privacy.corpus import docx

NAME, EMAIL = "Zenobia Erazmowska", "zenobia.erazmowska@ops-wlasny.pl"


@pytest.fixture
def erased_world(world, make_user):
    """Zenobia submits person and institution work with a file; others mention her; she holds a certificate."""
    zenobia = make_user(Role.ANIMATOR, institution=world.own, email=EMAIL, name=NAME)
    db.session.add(Enrolment(edition_id=world.edition.id, user_id=zenobia.id, enrolled_by_id=world.coordinator.id))
    db.session.commit()
    version = services.current_assignment_version(world.profil)
    work = services.work_for(zenobia, world.edition, world.profil, version.scope)
    services.attach(work, check_upload("moj-plan.docx", docx(["Plan", f"Autorka: {NAME}"]), 10**6), zenobia)
    own_attempt = services.submit(work, f"Mój profil. Podpisano: {NAME}", zenobia)
    db.session.commit()
    judge(own_attempt, world.trainer, met=True, feedback=f"Dobra praca, Pani {NAME}!", decision=Decision.ACCEPTED)
    shared = confirm_if_waiting(submit_attempt(world, zenobia, world.mapa, "Mapa zasobów gminy."))  # institution work
    submit_attempt(world, world.animator, world.profil, f"Współpracuję z {NAME} ({EMAIL}).")
    certificate = db.session.scalar(select(Certificate).where(Certificate.holder_id == zenobia.id))
    if certificate is None:  # the mini programme may not certify on one acceptance: issue one as a trainer would
        certificate = Certificate(
            kind=CertificateKind.PERSON, code=new_code(), title="Animator CAL", level=1,
            programme_id=db.session.scalar(select(Programme.id)), holder_id=zenobia.id, institution_id=world.own.id,
            issued_by_id=world.trainer.id,
        )  # fmt: skip
        db.session.add(certificate)
        db.session.commit()
    return zenobia, own_attempt, shared, certificate.code


def erase(app, admin, person_id, confirm=True):
    client = signed_in(app, admin)
    token = csrf_token(client.get(f"/admin/people/{person_id}/").get_data(as_text=True))
    data = {"csrf_token": token, "erase": "1", **({"confirm": "y"} if confirm else {})}
    return client, client.post(f"/admin/people/{person_id}/erase", data=data)


def texts_in_the_database() -> list[tuple[str, str, str]]:
    """Every value of every text and JSON column, as (table, column, text)."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                for value in db.session.scalars(select(column)):
                    if value is not None:
                        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                        found.append((table.name, column.name, text))
    return found


def test_erasure_leaves_the_name_nowhere_in_the_database_or_on_any_page(app, world, erased_world, make_user):
    zenobia, own_attempt, shared, code = erased_world
    admin = make_user(Role.ADMIN, name="Adam Admin")
    assert any(NAME in text for _t, _c, text in texts_in_the_database())  # the search can find it
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    client, response = erase(app, admin, zenobia.id)
    assert response.status_code == 302
    label = f"Osoba usunięta #{zenobia.id}"
    db.session.expire_all()

    leaks = [(t, c) for t, c, text in texts_in_the_database() if NAME in text or EMAIL in text or "Erazmowsk" in text]
    assert leaks == []
    # one audit event, by the admin, naming no one
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action != "user.signed_in").order_by(AuditEvent.id).offset(events_before)
    ).all()  # (the admin's sign-in is logged before it)
    assert [(e.action, e.actor_id, e.object_id) for e in events] == [("person.erased", admin.id, zenobia.id)]
    # the account is closed and labelled
    person = db.session.get(User, zenobia.id)
    assert (person.name, person.active) == (label, False)
    assert signed_in_fails(app, EMAIL)
    # history stays under the label: attempts, the decision, the institution's work
    assert db.session.get(Attempt, own_attempt.id).text_md == f"Mój profil. Podpisano: {label}"
    assert db.session.get(Attempt, shared.id).submitted_by_id == zenobia.id
    # the files are tombstones that keep name, hash and size
    attachment = db.session.scalar(select(Attachment).where(Attachment.uploaded_by_id == zenobia.id))
    stored = db.session.get(StoredFile, attachment.stored_file_id)
    assert attachment.filename == "moj-plan.docx" and stored.sha256 in stored.content.decode()
    assert b"Plan" not in stored.content and str(stored.size) in stored.content.decode()

    trainer, coordinator = signed_in(app, world.trainer), signed_in(app, world.coordinator)
    pages = [
        (client, "/admin/people/"), (client, f"/admin/people/{zenobia.id}/"),
        (client, f"/institutions/{world.own.id}/"), (client, f"/editions/{world.edition.id}/"),
        (trainer, "/reviews/"), (trainer, f"/reviews/attempts/{own_attempt.id}/"),
        (trainer, f"/reviews/attempts/{shared.id}/"), (coordinator, f"/dashboard/institutions/{world.own.id}/"),
        (coordinator, f"/institutions/{world.own.id}/"), (client, f"/verify/{readable(code)}"),
        (client, f"/api/v1/verify/{readable(code)}"), (trainer, "/dashboard/trainer/"),
    ]  # fmt: skip
    for browser, url in pages:
        page = browser.get(url)
        assert page.status_code == 200, url
        assert NAME not in text_of(page) and EMAIL not in text_of(page) and "Erazmowsk" not in text_of(page), url
    download = trainer.get(f"/files/{attachment.id}")
    assert b"Plan" not in download.data and stored.sha256.encode() in download.data

    verification = text_of(client.get(f"/verify/{readable(code)}"))
    assert "Valid certificate" in verification
    assert "The holder asked for their personal data to be erased" in verification


def signed_in_fails(app, email) -> bool:
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": "x", "csrf_token": token})
    return response.status_code != 302


def test_erasure_needs_the_confirmation_and_is_done_once(app, world, erased_world, make_user):
    zenobia = erased_world[0]
    admin = make_user(Role.ADMIN)
    _client, response = erase(app, admin, zenobia.id, confirm=False)
    db.session.expire_all()
    assert response.status_code == 302 and db.session.get(User, zenobia.id).name == NAME
    erase(app, admin, zenobia.id)
    client, response = erase(app, admin, zenobia.id)
    assert "already been erased" in text_of(client.get(response.location))


def test_only_an_admin_erases(app, world, erased_world):
    zenobia = erased_world[0]
    client = signed_in(app, world.coordinator)
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post(f"/admin/people/{zenobia.id}/erase", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, zenobia.id).name == NAME
