"""Drafts are private until submitted: their author (or, for an institution deliverable, the staff who
may submit it) sees them; trainers, coordinators, colleagues and admins get 404 — for the work page
and for every file in the draft."""

import io

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.content.models import Assignment
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.learning.decisions import Decision
from lms.learning.models import Attachment, Work
from tests.auth.test_access_matrix import world  # noqa: F401 (the fixture)
from tests.certificates.conftest import decide
from tests.conftest import csrf_token, login


def signed_in(app, person):
    client = app.test_client()
    assert login(client, person).status_code == 302
    return client


def assignment_url(world, slug: str) -> str:  # noqa: F811
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    return f"/editions/{world['edition'].id}/assignments/{assignment.id}/"


def send(client, url: str, button: str, filename: str | None = None):
    """Press ``button`` on the work form, optionally with a text file."""
    data = {"csrf_token": csrf_token(client.get(url).get_data(as_text=True)), "text": "Moja praca.", button: "1"}
    if filename:
        data["files"] = [(io.BytesIO(b"Notatki z rozmow z mieszkancami."), filename)]
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    return response


def draft_file(filename: str) -> Attachment:
    return db.session.scalar(select(Attachment).where(Attachment.filename == filename))


@pytest.fixture
def newcomer(world, make_user):  # noqa: F811
    """An animator of the world's institution, enrolled, with nothing submitted yet."""
    person = make_user(Role.ANIMATOR, institution=world["institution"], name="Nowa Animatorka")
    db.session.add(Enrolment(edition_id=world["edition"].id, user_id=person.id, enrolled_by_id=person.id))
    db.session.commit()
    return person


OTHERS = ["trainer", "coordinator", "admin", "animator"]  # the edition's trainer, her coordinator, a colleague


def test_a_persons_draft_and_its_file_are_seen_only_by_their_author(app, world, newcomer):  # noqa: F811
    author = signed_in(app, newcomer)
    send(author, assignment_url(world, "profil"), "save", "szkic.txt")
    attachment = draft_file("szkic.txt")
    assert author.get(f"/files/{attachment.id}").status_code == 200
    assert author.get(f"/works/{attachment.work_id}/").status_code == 302  # to their one work page
    for key in OTHERS:
        other = signed_in(app, world["people"][key])
        assert other.get(f"/files/{attachment.id}").status_code == 404, key
        assert other.get(f"/works/{attachment.work_id}/").status_code == 404, key


def test_once_submitted_the_work_and_its_file_are_seen_as_before(app, world, newcomer):  # noqa: F811
    author = signed_in(app, newcomer)
    send(author, assignment_url(world, "profil"), "submit", "praca.txt")
    attachment = draft_file("praca.txt")
    for key in ("trainer", "coordinator", "admin"):
        other = signed_in(app, world["people"][key])
        assert other.get(f"/files/{attachment.id}").status_code == 200, key
        assert other.get(f"/works/{attachment.work_id}/").status_code == 200, key


def test_a_file_added_to_a_revision_stays_private_while_the_history_stays_visible(app, world):  # noqa: F811
    decide(world["work"].attempts[0], world["people"]["trainer"], Decision.REVISION_REQUESTED)
    author = signed_in(app, world["people"]["animator"])
    send(author, assignment_url(world, "profil"), "save", "poprawka.txt")
    attachment = draft_file("poprawka.txt")
    trainer = signed_in(app, world["people"]["trainer"])
    assert trainer.get(f"/files/{attachment.id}").status_code == 404
    assert trainer.get(f"/works/{world['work'].id}/").status_code == 200
    assert author.get(f"/files/{attachment.id}").status_code == 200


def test_an_institution_deliverable_draft_is_shared_by_its_staff_only(app, world, newcomer):  # noqa: F811
    send(signed_in(app, newcomer), assignment_url(world, "mapa"), "save", "mapa.txt")
    attachment = draft_file("mapa.txt")
    work = db.session.get(Work, attachment.work_id)
    assert work.learner_id is None
    for key, expected in (("animator", 200), ("coordinator", 200), ("trainer", 404), ("admin", 404)):
        assert signed_in(app, world["people"][key]).get(f"/files/{attachment.id}").status_code == expected, key
