"""The learner's side of the cycle: drafts, attachments, attempts, revision, acceptance and who may see what."""

import html
import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.content.models import Assignment, Module, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import services
from lms.learning.decisions import Decision, Review
from lms.learning.files import check_upload
from lms.learning.history import work_history
from lms.learning.models import Attachment, Attempt, ModuleRead, StoredFile, Work, WorkStatus
from lms.learning.progress import edition_progress
from lms.reviews.services import CriterionJudgement, decide
from tests.conftest import csrf_token, english, login

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 48


# --- the setting -------------------------------------------------------------------------


@pytest.fixture
def world(snapshot):
    """One edition of the mini programme: two institutions, a trainer, staff of both."""
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    own, other = make_institution("OPS Własny"), make_institution("OPS Cudzy")
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    edition = Edition(
        name="Edycja testowa", programme=db.session.scalar(select(Programme)), voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=[trainer], institutions=[own, other],
    )  # fmt: skip
    db.session.add(edition)
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, institution=own, name="Celina Koordynatorka")
    animator = make_user(Role.ANIMATOR, institution=own, name="Anna Animatorka")
    colleague = make_user(Role.ANIMATOR, institution=own, name="Kamil Kolega")  # not enrolled
    stranger = make_user(Role.ANIMATOR, institution=other, name="Olga Obca")
    for person in (animator, stranger):
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=coordinator.id))
    db.session.commit()
    return SimpleNamespace(
        edition=edition, own=own, other=other, trainer=trainer, coordinator=coordinator,
        animator=animator, colleague=colleague, stranger=stranger,
        profil=assignment("profil"), mapa=assignment("mapa"),
    )  # fmt: skip


def assignment(slug: str) -> Assignment:
    return db.session.scalar(select(Assignment).where(Assignment.slug == slug))


def criteria_of(assignment_: Assignment):
    return services.current_assignment_version(assignment_).criteria


def work_url(world, assignment_: Assignment) -> str:
    return f"/editions/{world.edition.id}/assignments/{assignment_.id}/"


def the_work(world, assignment_: Assignment, user) -> Work:
    """The (saved) work of ``user`` or their institution, as the database has it now."""
    db.session.expire_all()
    work = services.work_for(user, world.edition, assignment_, services.current_assignment_version(assignment_).scope)
    assert work.id is not None
    return work


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- services ----------------------------------------------------------------------------


def submit_attempt(world, user, assignment_: Assignment, text: str = "Moja odpowiedź.") -> Attempt:
    work = services.work_for(user, world.edition, assignment_, services.current_assignment_version(assignment_).scope)
    attempt = services.submit(work, text, user)
    db.session.commit()
    return attempt


def judge(attempt: Attempt, trainer, met=True, feedback: str = "", decision=Decision.ACCEPTED) -> Review:
    criteria = attempt.assignment_version.criteria
    verdicts = [met] * len(criteria) if isinstance(met, bool) else met
    judgements = [CriterionJudgement(c.id, ok) for c, ok in zip(criteria, verdicts, strict=True)]
    review = decide(attempt, trainer, judgements, feedback, decision)
    db.session.commit()
    return review


# --- HTTP --------------------------------------------------------------------------------


def signed_in(app, user):
    """A fresh browser signed in as ``user``, speaking English."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    english(client)
    return client


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def send_work(client, url: str, text: str = "", button: str = "save", files=None):
    """Press ``button`` (save, preview, submit) on the work form, with ``text`` and optional uploads."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"text": text, button: "1", "csrf_token": token}
    if files is not None:
        data["files"] = files
    return client.post(url, data=data, content_type="multipart/form-data")


def send_review(client, attempt_id: int, verdicts: dict, feedback: str = "", button: str = "revise", comments=None):
    url = f"/reviews/attempts/{attempt_id}/"
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"feedback": feedback, button: "1", "csrf_token": token}
    data.update({f"met_{cid}": value for cid, value in verdicts.items()})
    data.update({f"comment_{cid}": value for cid, value in (comments or {}).items()})
    return client.post(url, data=data)


def remove_file(client, world, assignment_: Assignment, attachment_id: int):
    token = csrf_token(client.get(work_url(world, assignment_)).get_data(as_text=True))
    url = f"{work_url(world, assignment_)}files/{attachment_id}/remove"
    return client.post(url, data={"remove": "1", "csrf_token": token})


def attempt_card(page: str, number: int) -> str:
    """The history card of attempt ``number`` on a work or review page."""
    match = re.search(rf'<article class="card mb-3" id="attempt-{number}">(.*?)</article>', page, re.S)
    assert match, f"no attempt {number} on the page"
    return match.group(1)


def textarea(page: str) -> str:
    return html.unescape(re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)).strip()


def module_badge(page: str, title: str) -> str:
    """The status badge next to a module in the progress panel."""
    marked = r"(?:\s*<span class=\"text-muted\">[^<]*</span>)?(?:</span>)?"  # "(optional…)", the number's span
    pattern = rf">{re.escape(title)}</a>{marked}\s*<span class=\"badge[^\"]*\">([^<]+)</span>"
    return re.search(pattern, page).group(1)


def pdf(name: str = "plan.pdf", content: bytes = PDF):
    return (io.BytesIO(content), name)


# --- the full cycle through the services ---------------------------------------------------


def test_full_cycle_through_services_numbers_attempts_moves_status_and_audits_each_step(world):
    animator, trainer, edition, profil = world.animator, world.trainer, world.edition, world.profil
    work = services.work_for(animator, edition, profil, services.current_assignment_version(profil).scope)
    assert work.id is None and work.status is WorkStatus.DRAFT

    services.save_draft(work, "Szkic", animator)
    db.session.commit()
    first = services.submit(work, "Mam trzy zasoby.", animator)
    db.session.commit()
    assert (first.number, work.status, work.attempt_count, work.draft_text) == (1, WorkStatus.SUBMITTED, 1, "")
    assert audit_actions()[-1] == "attempt.submitted"

    c1, c2 = first.assignment_version.criteria
    judgements = [CriterionJudgement(c1.id, True), CriterionJudgement(c2.id, False, "Brak terminu.")]
    decide(first, trainer, judgements, "Dodaj termin.", Decision.REVISION_REQUESTED)
    db.session.commit()
    db.session.expire_all()
    assert work.status is WorkStatus.REVISION_REQUESTED
    assert audit_actions()[-1] == "review.revision_requested"

    second = services.submit(work, "Mam trzy zasoby i termin: maj.", animator)
    db.session.commit()
    assert (second.number, work.status, work.attempt_count) == (2, WorkStatus.SUBMITTED, 2)
    assert audit_actions()[-1] == "attempt.submitted"

    judge(second, trainer, met=True, feedback="Dobrze.", decision=Decision.ACCEPTED)
    db.session.expire_all()
    assert work.status is WorkStatus.ACCEPTED
    assert [a.number for a in work_history(work.id)] == [2, 1]
    assert [a.review.decision for a in work_history(work.id)] == [Decision.ACCEPTED, Decision.REVISION_REQUESTED]
    cycle = [a for a in audit_actions() if a.startswith(("attempt.", "review."))]
    assert cycle == ["attempt.submitted", "review.revision_requested", "attempt.submitted", "review.accepted"]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attempt.submitted")).all()
    assert [(e.object_id, e.details["number"]) for e in events] == [(first.id, "1"), (second.id, "2")]
    assert all(e.actor_id == animator.id for e in events)


def test_an_attempt_and_its_audit_event_are_one_transaction(world):
    """Rolling back instead of committing leaves neither the attempt nor its audit event."""
    work = services.work_for(
        world.animator, world.edition, world.profil, services.current_assignment_version(world.profil).scope
    )
    services.submit(work, "Odpowiedź", world.animator)
    db.session.rollback()
    assert count(Attempt) == 0
    assert "attempt.submitted" not in audit_actions()


def test_a_decision_and_its_audit_event_are_one_transaction(world):
    """Rolling back instead of committing leaves the attempt waiting, with no review and no audit event."""
    attempt = submit_attempt(world, world.animator, world.profil)
    criteria = attempt.assignment_version.criteria
    decide(attempt, world.trainer, [CriterionJudgement(c.id, True) for c in criteria], "", Decision.ACCEPTED)
    db.session.rollback()
    assert count(Review) == 0
    assert "review.accepted" not in audit_actions()
    assert the_work(world, world.profil, world.animator).status is WorkStatus.SUBMITTED


# --- the full cycle through HTTP ---------------------------------------------------------


def test_full_cycle_through_http_with_an_animator_and_a_trainer(app, world):
    animator, trainer = signed_in(app, world.animator), signed_in(app, world.trainer)
    url = work_url(world, world.profil)
    page = text_of(animator.get(url))
    assert "Mój profil animatora" in page and "Profil wymienia trzy zasoby." in page
    assert "Nothing submitted yet." in page

    response = send_work(animator, url, "Mam **trzy** zasoby.")
    assert response.status_code == 302
    assert textarea(animator.get(url).get_data(as_text=True)) == "Mam **trzy** zasoby."

    preview = send_work(animator, url, "Mam **trzy** zasoby.<script>alert(1)</script>", button="preview")
    assert preview.status_code == 200
    assert "Mam <strong>trzy</strong> zasoby." in preview.get_data(as_text=True)
    assert "<script>alert(1)" not in preview.get_data(as_text=True)  # rendered, never run

    response = send_work(animator, url, "Mam **trzy** zasoby.", button="submit")
    assert response.status_code == 302
    assert "Submitted." in text_of(animator.get(url))
    first = db.session.scalar(select(Attempt))

    queue = text_of(trainer.get("/reviews/"))
    assert f'href="/reviews/attempts/{first.id}/"' in queue
    assert "Mój profil animatora" in queue and "Anna Animatorka" in queue

    c1, c2 = criteria_of(world.profil)
    response = send_review(
        trainer, first.id, {c1.id: "met", c2.id: "not_met"}, "Dodaj **termin**.", comments={c2.id: "Brak daty."}
    )
    assert response.status_code == 302

    page = text_of(animator.get(url))
    card = attempt_card(page, 1)
    assert "Mam <strong>trzy</strong> zasoby." in card
    assert re.search(r"✔</span>\s*<span[^>]*>met:</span>\s*Profil wymienia trzy zasoby\.", card)
    assert re.search(r"✘</span>\s*<span[^>]*>not met:</span>\s*Plan ma termin\.", card)
    assert "Brak daty." in card and "Dodaj <strong>termin</strong>." in card
    assert "revision requested" in card and "Tomasz Trener" in card
    assert "Your revised answer (attempt 2)" in page

    assert send_work(animator, url, "Mam **trzy** zasoby. Termin: maj.", button="submit").status_code == 302
    second = db.session.scalar(select(Attempt).where(Attempt.number == 2))
    queue = text_of(trainer.get("/reviews/"))
    assert f'href="/reviews/attempts/{second.id}/"' in queue and f'href="/reviews/attempts/{first.id}/"' not in queue
    assert "Changes since attempt 1" in text_of(trainer.get(f"/reviews/attempts/{second.id}/"))
    response = send_review(trainer, second.id, {c1.id: "met", c2.id: "met"}, "Gratulacje!", button="accept")
    assert response.status_code == 302

    page = text_of(animator.get(url))
    assert "Gratulacje!" in attempt_card(page, 2) and "Dodaj <strong>termin</strong>." in attempt_card(page, 1)
    assert 'name="submit"' not in page  # nothing more to submit
    assert module_badge(text_of(animator.get("/")), "Pierwszy moduł") == "accepted"
    assert the_work(world, world.profil, world.animator).status is WorkStatus.ACCEPTED


# --- drafts --------------------------------------------------------------------------------


def test_saved_draft_comes_back_on_the_next_visit(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    response = send_work(animator, url, "Pierwsza myśl:\n\n- sąsiadka <pomoże>")
    assert response.status_code == 302
    page = animator.get(url).get_data(as_text=True)
    assert "Draft saved." in html.unescape(page)
    assert textarea(page) == "Pierwsza myśl:\n\n- sąsiadka <pomoże>"
    again = signed_in(app, world.animator)  # another browser, later
    assert textarea(again.get(url).get_data(as_text=True)) == "Pierwsza myśl:\n\n- sąsiadka <pomoże>"
    assert count(Attempt) == 0


def test_a_person_who_moved_to_another_institution_still_finds_their_own_work(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    assert send_work(animator, url, "Mój profil z poprzedniej pracy.", "submit").status_code == 302
    world.animator.institution = world.other
    db.session.commit()
    page = text_of(animator.get(url))
    assert "Mój profil z poprzedniej pracy." in page and "Attempt 1" in page
    assert count(Work) == 1


def test_submitting_an_empty_text_is_refused_with_a_message_and_nothing_is_stored(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    response = send_work(animator, url, "  \n\t ", button="submit", files=[pdf()])
    assert response.status_code == 200
    assert "Write your answer before submitting." in text_of(response)
    assert (count(Attempt), count(Attachment), count(StoredFile)) == (0, 0, 0)
    assert "attempt.submitted" not in audit_actions()


def test_a_second_submit_while_an_attempt_waits_is_refused(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    assert send_work(animator, url, "Pierwsza wersja", button="submit").status_code == 302
    stale_token = csrf_token(animator.get(url).get_data(as_text=True))
    response = animator.post(url, data={"text": "Druga wersja", "submit": "1", "csrf_token": stale_token})
    assert response.status_code == 200
    assert [a.text_md for a in db.session.scalars(select(Attempt))] == ["Pierwsza wersja"]
    assert the_work(world, world.profil, world.animator).status is WorkStatus.SUBMITTED


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (None, "Your attempt is waiting for the trainer's decision; you can continue after it."),
        (Decision.ACCEPTED, "This assignment has already been accepted."),
    ],
    ids=["while-waiting", "after-acceptance"],
)
def test_a_refused_submit_tells_the_learner_why(app, world, decision, message):
    attempt = submit_attempt(world, world.animator, world.profil, "Pierwsza wersja")
    if decision:
        judge(attempt, world.trainer, decision=decision)
    animator = signed_in(app, world.animator)
    response = send_work(animator, work_url(world, world.profil), "Druga wersja", button="submit")
    assert response.status_code == 200
    assert message in text_of(response)


def test_nothing_can_be_submitted_or_saved_after_acceptance(app, world):
    judge(submit_attempt(world, world.animator, world.profil, "Gotowe"), world.trainer)
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    page = text_of(animator.get(url))
    assert "accepted" in page and 'name="submit"' not in page
    for button in ("submit", "save"):
        response = send_work(animator, url, "Jeszcze coś", button=button, files=[pdf()])
        assert response.status_code == 200
    work = the_work(world, world.profil, world.animator)
    assert (work.status, work.attempt_count, work.draft_text) == (WorkStatus.ACCEPTED, 1, "")
    assert (count(Attempt), count(Attachment)) == (1, 0)
    with force_locale("en"), pytest.raises(services.SubmissionError, match="already been accepted"):
        services.submit(work, "Jeszcze coś", world.animator)


# --- attachments ---------------------------------------------------------------------------


def test_a_valid_pdf_goes_into_the_draft_moves_to_the_attempt_and_downloads_as_an_attachment(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    assert send_work(animator, url, "Plan w załączniku", files=[pdf()]).status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert (attachment.filename, attachment.attempt_id) == ("plan.pdf", None)
    page = animator.get(url).get_data(as_text=True)
    assert "Files in your draft" in page and f'href="/files/{attachment.id}"' in page

    download = animator.get(f"/files/{attachment.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "plan.pdf" in download.headers["Content-Disposition"]

    assert send_work(animator, url, "Plan w załączniku", button="submit").status_code == 302
    db.session.expire_all()
    attempt = db.session.scalar(select(Attempt))
    assert attachment.attempt_id == attempt.id
    assert [a.filename for a in attempt.attachments] == ["plan.pdf"]
    page = animator.get(url).get_data(as_text=True)
    assert f'href="/files/{attachment.id}"' in attempt_card(page, 1)
    assert "Files in your draft" not in page
    trainer = signed_in(app, world.trainer)
    assert trainer.get(f"/files/{attachment.id}").data == PDF


def test_an_oversize_file_is_refused_and_nothing_is_stored(app, world):
    animator = signed_in(app, world.animator)
    limit = app.config["MAX_ATTACHMENT_BYTES"]
    app.config["MAX_ATTACHMENT_BYTES"] = len(PDF) - 1
    try:
        response = send_work(animator, work_url(world, world.profil), "Tekst", files=[pdf()])
    finally:
        app.config["MAX_ATTACHMENT_BYTES"] = limit
    assert response.status_code == 200
    assert "plan.pdf: The file is too large." in text_of(response)
    assert (count(Attachment), count(StoredFile)) == (0, 0)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((EXE, "program.pdf"), "program.pdf: This file type is not allowed."),
        ((b"", "pusty.pdf"), "pusty.pdf: The file is empty."),
    ],
    ids=["exe-renamed-pdf", "empty-file"],
)
def test_a_disguised_or_empty_file_is_refused_with_a_message(app, world, upload, message):
    animator = signed_in(app, world.animator)
    content, name = upload
    response = send_work(animator, work_url(world, world.profil), "Tekst", files=[(io.BytesIO(content), name)])
    assert response.status_code == 200
    assert message in text_of(response)
    assert (count(Attachment), count(StoredFile)) == (0, 0)


def test_a_path_traversal_file_name_is_stored_as_its_last_part(app, world):
    animator = signed_in(app, world.animator)
    upload = (io.BytesIO(b"root:x:0:0:root:/root:/bin/bash\n"), "../../etc/passwd.txt")
    assert send_work(animator, work_url(world, world.profil), "Tekst", files=[upload]).status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "passwd.txt"
    download = animator.get(f"/files/{attachment.id}")
    assert "passwd.txt" in download.headers["Content-Disposition"] and "/" not in attachment.filename
    assert download.mimetype == "text/plain"


def test_the_file_beyond_the_limit_of_five_is_refused(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    assert app.config["MAX_ATTACHMENTS"] == 5
    files = [pdf(f"czesc-{n}.pdf") for n in range(1, 6)]
    assert send_work(animator, url, "Pięć plików", files=files).status_code == 302
    assert count(Attachment) == 5
    response = send_work(animator, url, "Sześć plików", files=[pdf("szosty.pdf")])
    assert response.status_code == 200
    assert "An attempt can have at most 5 attachments." in text_of(response)
    assert count(Attachment) == 5
    assert "szosty.pdf" not in {a.filename for a in db.session.scalars(select(Attachment))}


def test_a_draft_file_can_be_removed(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    send_work(animator, url, "Tekst", files=[pdf("zostaje.pdf"), pdf("znika.pdf")])
    gone = db.session.scalar(select(Attachment).where(Attachment.filename == "znika.pdf"))
    assert remove_file(animator, world, world.profil, gone.id).status_code == 302
    assert [a.filename for a in db.session.scalars(select(Attachment))] == ["zostaje.pdf"]
    page = animator.get(url).get_data(as_text=True)
    assert "zostaje.pdf" in page and "znika.pdf" not in page
    assert "attachment.removed" in audit_actions()


def test_submitted_files_cannot_be_removed(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    send_work(animator, url, "Z planem", files=[pdf()])
    assert send_work(animator, url, "Z planem", button="submit").status_code == 302
    attachment = db.session.scalar(select(Attachment))

    response = remove_file(animator, world, world.profil, attachment.id)  # while waiting
    assert response.status_code == 302
    assert "Your attempt is waiting for the trainer's decision" in text_of(animator.get(url))
    assert count(Attachment) == 1

    judge(
        db.session.scalar(select(Attempt)),
        world.trainer,
        met=False,
        feedback="Popraw.",
        decision=Decision.REVISION_REQUESTED,
    )
    response = remove_file(animator, world, world.profil, attachment.id)  # open again, but the file is attempt 1's
    assert response.status_code == 302
    assert "This file is not part of your draft." in text_of(animator.get(url))
    db.session.expire_all()
    kept = db.session.get(Attachment, attachment.id)
    assert kept is not None and kept.attempt_id is not None  # still on attempt 1
    assert animator.get(f"/files/{attachment.id}").data == PDF
    # The revision's draft starts with a copy of attempt 1's file; that copy can be removed.
    [copy] = db.session.scalars(select(Attachment).where(Attachment.attempt_id.is_(None))).all()
    assert copy.stored_file_id == attachment.stored_file_id
    assert remove_file(animator, world, world.profil, copy.id).status_code == 302
    db.session.expire_all()
    assert count(Attachment) == 1


# --- institution deliverables ----------------------------------------------------------------


def test_institution_deliverable_is_shared_by_staff_and_hidden_from_other_institutions(app, world):
    url = work_url(world, world.mapa)
    animator, coordinator = signed_in(app, world.animator), signed_in(app, world.coordinator)

    assert send_work(animator, url, "Mapa: część 1").status_code == 302
    assert textarea(coordinator.get(url).get_data(as_text=True)) == "Mapa: część 1"
    assert send_work(coordinator, url, "Mapa: części 1-4", files=[pdf("mapa.pdf")]).status_code == 302
    page = animator.get(url).get_data(as_text=True)
    assert textarea(page) == "Mapa: części 1-4" and "mapa.pdf" in page
    assert count(Work) == 1

    assert send_work(animator, url, "Mapa: części 1-4", button="submit").status_code == 302
    work = the_work(world, world.mapa, world.coordinator)
    attempt = db.session.scalar(select(Attempt))
    attachment = db.session.scalar(select(Attachment))
    assert (work.learner_id, work.institution_id, attempt.submitted_by_id) == (None, world.own.id, world.animator.id)

    for client in (coordinator, signed_in(app, world.colleague)):
        for path in (f"/works/{work.id}/", url):  # the first leads those who may submit to the second
            page = text_of(client.get(path, follow_redirects=True))
            assert "awaiting confirmation" in page, path  # an institution deliverable waits for confirmation
            assert "Mapa: części 1-4" in attempt_card(page, 1) and "Anna Animatorka" in attempt_card(page, 1)
    colleague = signed_in(app, world.colleague)
    assert colleague.get(f"/files/{attachment.id}").status_code == 200

    stranger = signed_in(app, world.stranger)
    assert stranger.get(f"/works/{work.id}/").status_code == 404
    assert stranger.get(f"/reviews/attempts/{attempt.id}/").status_code == 404
    assert stranger.get(f"/files/{attachment.id}").status_code == 404
    assert "Mapa: części 1-4" not in text_of(stranger.get(url))  # their own institution's (empty) work


# --- access ----------------------------------------------------------------------------------


@pytest.fixture
def strangers_attempt(world):
    """Olga (the other institution) submitted her profile with a file."""
    work = services.work_for(
        world.stranger, world.edition, world.profil, services.current_assignment_version(world.profil).scope
    )
    services.attach(work, check_upload("cv.pdf", PDF, 10**6), world.stranger)
    attempt = services.submit(work, "Profil Olgi", world.stranger)
    db.session.commit()
    return SimpleNamespace(work=work, attempt=attempt, attachment=attempt.attachments[0])


def test_another_institutions_personal_attempt_is_not_found(app, world, strangers_attempt):
    paths = [
        f"/works/{strangers_attempt.work.id}/",
        f"/reviews/attempts/{strangers_attempt.attempt.id}/",
        f"/files/{strangers_attempt.attachment.id}",
    ]
    for user in (world.animator, world.coordinator):
        client = signed_in(app, user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.name, path)
    owner = signed_in(app, world.stranger)
    assert [owner.get(path, follow_redirects=True).status_code for path in paths] == [200, 200, 200]


def test_anonymous_visitors_are_sent_to_sign_in(client, world, strangers_attempt):
    paths = [
        f"/works/{strangers_attempt.work.id}/",
        f"/reviews/attempts/{strangers_attempt.attempt.id}/",
        f"/files/{strangers_attempt.attachment.id}",
        work_url(world, world.profil),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


# --- reading -----------------------------------------------------------------------------------


def test_opening_a_module_page_records_it_as_read(app, world):
    animator = signed_in(app, world.animator)
    assert animator.get("/programmes/mini/modules/pierwszy/").status_code == 200
    assert animator.get("/programmes/mini/modules/pierwszy/").status_code == 200  # twice: still one record
    pierwszy = db.session.scalar(select(Module).where(Module.slug == "pierwszy"))
    db.session.expire_all()
    assert [(r.user_id, r.module_id) for r in db.session.scalars(select(ModuleRead))] == [
        (world.animator.id, pierwszy.id)
    ]

    progress = edition_progress(world.animator, world.edition)
    statuses = {m.module.slug: m.status for level in progress.levels for m in level.modules}
    assert statuses == {"pierwszy": "reading", "drugi": "not_started", "konsultacje": "not_started"}
    home = text_of(animator.get("/"))
    assert module_badge(home, "Pierwszy moduł") == "reading"
    assert module_badge(home, "Drugi moduł") == "not started"
