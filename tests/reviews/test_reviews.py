"""The trainer's side: decisions and their rules, races, conflicts of interest, the queue and notifications."""

import html
import re
import shutil
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.base import utcnow
from lms.content.importer import import_courses
from lms.content.models import Assignment, Module, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import services as learning
from lms.learning.decisions import Decision, Review
from lms.learning.files import check_upload
from lms.learning.models import Attachment, Attempt, Work, WorkStatus
from lms.notifications.models import DigestLog, Notification
from lms.reviews import services
from lms.reviews.services import CriterionJudgement, QueueFilters, ReviewError, decide
from tests.conftest import MINI_COURSES, confirm_if_waiting, csrf_token, english, link_in, login, outbox

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


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
    stranger = make_user(Role.ANIMATOR, institution=other, name="Olga Obca")
    make_user(Role.COORDINATOR, institution=other, name="Oskar Obcy")  # confirms the other's deliverables
    for person in (animator, stranger):
        enrol(edition, person, coordinator)
    db.session.commit()
    return SimpleNamespace(
        edition=edition, own=own, other=other, trainer=trainer, coordinator=coordinator,
        animator=animator, stranger=stranger, profil=assignment("profil"), mapa=assignment("mapa"),
    )  # fmt: skip


def enrol(edition: Edition, person: User, by: User) -> None:
    db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=by.id))


def assignment(slug: str) -> Assignment:
    return db.session.scalar(select(Assignment).where(Assignment.slug == slug))


def module(slug: str) -> Module:
    return db.session.scalar(select(Module).where(Module.slug == slug))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def submit_attempt(edition, user, assignment_: Assignment, text: str = "Moja odpowiedź.", files=()) -> Attempt:
    version = learning.current_assignment_version(assignment_)
    work = learning.work_for(user, edition, assignment_, version.scope)
    for name in files:
        learning.attach(work, check_upload(name, PDF, 10**6), user)
    attempt = learning.submit(work, text, user)
    db.session.commit()
    return confirm_if_waiting(attempt)


def judgements(attempt: Attempt, met=True, comment: str = "") -> list[CriterionJudgement]:
    criteria = attempt.assignment_version.criteria
    verdicts = [met] * len(criteria) if isinstance(met, bool) else met
    return [CriterionJudgement(c.id, ok, comment) for c, ok in zip(criteria, verdicts, strict=True)]


def judge(attempt: Attempt, trainer: User, met=True, feedback: str = "", decision=Decision.ACCEPTED) -> Review:
    review = decide(attempt, trainer, judgements(attempt, met, "Uwaga"), feedback, decision)
    db.session.commit()
    return review


def ask_for_revision(attempt: Attempt, trainer: User) -> Review:
    return judge(attempt, trainer, met=False, feedback="Popraw proszę.", decision=Decision.REVISION_REQUESTED)


def signed_in(app, user: User):
    """A fresh browser signed in as ``user``, speaking English."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    english(client)
    return client


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def review_url(attempt: Attempt) -> str:
    return f"/reviews/attempts/{attempt.id}/"


def review_form(attempt: Attempt, verdicts, feedback: str = "", button: str = "revise") -> dict:
    """The review form's fields: ``verdicts`` is a list of "met"/"not_met" (None leaves a criterion unmarked)."""
    data = {"feedback": feedback, button: "1"}
    for criterion, verdict in zip(attempt.assignment_version.criteria, verdicts, strict=True):
        if verdict is not None:
            data[f"met_{criterion.id}"] = verdict
    return data


def send_review(client, attempt: Attempt, verdicts, feedback: str = "", button: str = "revise", token=None):
    token = token or csrf_token(client.get(review_url(attempt)).get_data(as_text=True))
    return client.post(
        review_url(attempt), data={**review_form(attempt, verdicts, feedback, button), "csrf_token": token}
    )


def queued_ids(page: str) -> list[int]:
    """Attempt ids listed in the queue table, in order."""
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    return [int(i) for i in re.findall(r'href="/reviews/attempts/(\d+)/"', table)]


def badge_counts(page: str) -> tuple[int, int, int]:
    return tuple(
        int(re.search(rf"(\d+) works? {state}<", page).group(1))
        for state in ("waiting for review", "sent back for revision", "accepted")
    )


def unread_badge(page: str) -> int:
    match = re.search(r'Notifications <span class="badge[^"]*">(\d+)<span class="visually-hidden"> unread', page)
    return int(match.group(1)) if match else 0


# --- the rules of a decision ---------------------------------------------------------------


def test_an_acceptance_dates_the_work_and_a_revision_request_does_not(world):
    first = submit_attempt(world.edition, world.animator, world.profil)
    ask_for_revision(first, world.trainer)
    assert first.work.accepted_at is None
    review = judge(submit_attempt(world.edition, world.animator, world.profil, "Poprawione."), world.trainer)
    assert review.attempt.work.status is WorkStatus.ACCEPTED
    assert review.attempt.work.accepted_at == review.decided_at  # what reports count acceptances by


def test_accept_is_refused_while_a_criterion_is_unmet(world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    with force_locale("en"), pytest.raises(ReviewError, match="accepted only when every criterion is met"):
        decide(attempt, world.trainer, judgements(attempt, [True, False]), "Prawie.", Decision.ACCEPTED)
    db.session.rollback()
    assert count(Review) == 0
    assert db.session.get(Work, attempt.work_id).status is WorkStatus.SUBMITTED


def test_accept_with_an_unmet_criterion_shows_the_message_and_saves_nothing(app, world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    trainer = signed_in(app, world.trainer)
    response = send_review(trainer, attempt, ["met", "not_met"], "Prawie.", button="accept")
    assert response.status_code == 200
    page = text_of(response)
    assert "An attempt can be accepted only when every criterion is met." in page
    assert 'name="accept"' in page  # the form is still there to correct
    assert (count(Review), db.session.get(Work, attempt.work_id).status) == (0, WorkStatus.SUBMITTED)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("review.%"))).all()


def test_revision_without_feedback_is_refused_when_a_criterion_is_unmet(app, world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    with force_locale("en"), pytest.raises(ReviewError, match="Write feedback explaining what is missing"):
        decide(attempt, world.trainer, judgements(attempt, [True, False]), "   ", Decision.REVISION_REQUESTED)
    db.session.rollback()
    trainer = signed_in(app, world.trainer)
    response = send_review(trainer, attempt, ["met", "not_met"], "  ")
    assert response.status_code == 200
    assert "Write feedback explaining what is missing: a criterion is not met." in text_of(response)
    assert count(Review) == 0


def test_a_decision_missing_a_criterion_is_refused(app, world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    first, _second = attempt.assignment_version.criteria
    with force_locale("en"):
        with pytest.raises(ReviewError, match="Mark every criterion as met or not met"):
            decide(attempt, world.trainer, [CriterionJudgement(first.id, True)], "", Decision.ACCEPTED)
        foreign = assignment("mapa")  # a criterion of another assignment does not count
        other_criterion = learning.current_assignment_version(foreign).criteria[0]
        mixed = [CriterionJudgement(first.id, True), CriterionJudgement(other_criterion.id, True)]
        with pytest.raises(ReviewError, match="Mark every criterion as met or not met"):
            decide(attempt, world.trainer, mixed, "", Decision.ACCEPTED)
    db.session.rollback()
    trainer = signed_in(app, world.trainer)
    response = send_review(trainer, attempt, ["met", None], "", button="accept")
    assert response.status_code == 200
    assert "Mark this criterion as met or not met." in text_of(response)
    assert count(Review) == 0


def test_a_decision_on_an_attempt_already_decided_is_refused_naming_who_decided(world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    judge(attempt, world.trainer, feedback="Świetnie.")
    with force_locale("en"), pytest.raises(ReviewError, match="already been decided by Tomasz Trener"):
        decide(attempt, world.trainer, judgements(attempt), "Jeszcze raz", Decision.ACCEPTED)
    assert count(Review) == 1


def test_a_decision_on_an_older_attempt_is_refused(app, world):
    first = submit_attempt(world.edition, world.animator, world.profil, "Wersja 1")
    ask_for_revision(first, world.trainer)
    second = submit_attempt(world.edition, world.animator, world.profil, "Wersja 2")
    db.session.expire_all()
    with force_locale("en"), pytest.raises(ReviewError, match="already been decided by Tomasz Trener"):
        decide(first, world.trainer, judgements(first), "", Decision.ACCEPTED)
    db.session.rollback()

    trainer = signed_in(app, world.trainer)
    page = text_of(trainer.get(review_url(first)))
    assert 'name="accept"' not in page  # an older attempt offers no decision
    response = send_review(trainer, first, ["met", "met"], "", button="accept")
    assert response.status_code == 200
    db.session.expire_all()
    assert count(Review) == 1
    assert (second.review, db.session.get(Work, second.work_id).status) == (None, WorkStatus.SUBMITTED)


# --- two trainers at once --------------------------------------------------------------------


@pytest.fixture
def two_trainers(world, make_user):
    """A second trainer, Beata, in the same edition."""
    beata = make_user(Role.TRAINER, name="Beata Trenerka")
    world.edition.trainers.append(beata)
    db.session.commit()
    return world.trainer, beata


def test_two_trainers_deciding_at_the_same_moment_one_wins_and_the_other_is_told_who(app, world, two_trainers):
    attempt_id = submit_attempt(world.edition, world.animator, world.profil).id
    plans = {two_trainers[0].id: Decision.ACCEPTED, two_trainers[1].id: Decision.REVISION_REQUESTED}
    barrier = threading.Barrier(len(plans))
    outcomes: dict[int, object] = {}

    def decide_as(trainer_id: int, decision: Decision) -> None:
        with app.app_context(), force_locale("en"):
            try:
                trainer = db.session.get(User, trainer_id)
                attempt = db.session.get(Attempt, attempt_id)
                assert attempt.work.status is WorkStatus.SUBMITTED and attempt.review is None  # both see it waiting
                verdicts = judgements(attempt, decision is Decision.ACCEPTED)
                barrier.wait(timeout=30)
                decide(attempt, trainer, verdicts, "Do poprawy." if verdicts[0].met is False else "", decision)
                db.session.commit()
                outcomes[trainer_id] = "won"
            except Exception as error:  # reported below, whatever it is
                outcomes[trainer_id] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide_as, args=plan) for plan in plans.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    winners = [tid for tid, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    winner_id = winners[0]
    loser_id = next(tid for tid in plans if tid != winner_id)
    loss = outcomes[loser_id]
    assert isinstance(loss, ReviewError), repr(loss)
    assert isinstance(loss.__cause__, IntegrityError)  # both got past the checks: the database chose
    winner = db.session.get(User, winner_id)
    assert f"already been decided by {winner.name}" in str(loss)

    db.session.expire_all()
    reviews = db.session.scalars(select(Review)).all()
    assert [(r.attempt_id, r.trainer_id, r.decision) for r in reviews] == [(attempt_id, winner_id, plans[winner_id])]
    status = db.session.get(Attempt, attempt_id).work.status
    assert status.value == plans[winner_id].value
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("review.%"))).all()) == 1
    assert len(outbox(world.animator.email)) == 1


def test_trainer_deciding_from_a_form_loaded_before_anothers_decision_changes_nothing(app, world, two_trainers):
    tomasz, beata = signed_in(app, world.trainer), signed_in(app, two_trainers[1])
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    stale_token = csrf_token(beata.get(review_url(attempt)).get_data(as_text=True))  # Beata opens the form

    assert send_review(tomasz, attempt, ["met", "met"], "Bardzo dobrze.", button="accept").status_code == 302
    first = db.session.scalar(select(Review))
    before = (first.id, first.trainer_id, first.decision, first.feedback_md, [r.met for r in first.results])

    response = send_review(beata, attempt, ["met", "not_met"], "Brakuje terminu.", token=stale_token)
    assert response.status_code == 200
    db.session.expire_all()
    reviews = db.session.scalars(select(Review)).all()
    assert len(reviews) == 1
    review = reviews[0]
    assert (
        review.id,
        review.trainer_id,
        review.decision,
        review.feedback_md,
        [r.met for r in review.results],
    ) == before
    assert db.session.get(Work, attempt.work_id).status is WorkStatus.ACCEPTED


@pytest.mark.parametrize("situation", ["decided-by-another-trainer", "older-attempt"])
def test_a_refused_late_decision_tells_the_trainer_why(app, world, two_trainers, situation):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    beata = signed_in(app, two_trainers[1])
    stale_token = csrf_token(beata.get(review_url(attempt)).get_data(as_text=True))
    tomasz = signed_in(app, world.trainer)
    if situation == "decided-by-another-trainer":
        assert send_review(tomasz, attempt, ["met", "met"], "", button="accept").status_code == 302
    else:
        assert send_review(tomasz, attempt, ["met", "not_met"], "Popraw.").status_code == 302
        submit_attempt(world.edition, world.animator, world.profil, "Poprawione")
    response = send_review(beata, attempt, ["met", "met"], "", button="accept", token=stale_token)
    assert "This attempt has already been decided by Tomasz Trener. Nothing was changed." in text_of(response)


def test_the_database_refuses_a_second_review_of_the_same_attempt(world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    judge(attempt, world.trainer)
    db.session.add(Review(attempt_id=attempt.id, trainer_id=world.trainer.id, decision=Decision.REVISION_REQUESTED))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert count(Review) == 1


# --- conflict of interest ----------------------------------------------------------------------


def test_a_trainer_never_reviews_their_own_institution(app, world, make_user):
    insider = make_user(Role.TRAINER, institution=world.own, name="Irena Wewnętrzna")
    world.edition.trainers = [insider]
    db.session.commit()
    own_attempt = submit_attempt(world.edition, world.animator, world.profil, "Od Anny")
    other_attempt = submit_attempt(world.edition, world.stranger, world.profil, "Od Olgi")

    client = signed_in(app, insider)
    page = text_of(client.get("/reviews/"))
    assert queued_ids(page) == [other_attempt.id]
    assert badge_counts(page) == (1, 0, 0)
    assert "1 attempt from your own institution in Edycja testowa waits, and no other trainer is assigned" in page
    assert "go to the other trainers" not in page

    review_page = text_of(client.get(review_url(own_attempt)))
    assert 'name="accept"' not in review_page  # may read it, may not decide
    response = send_review(client, own_attempt, ["met", "met"], "", button="accept", token=csrf_token(page))
    # The policy answers 403 (not 404) when the person may see the object but not act on it.
    assert response.status_code == 403
    assert count(Review) == 0
    assert (
        db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == insider.id)) == 1
    )

    world.edition.trainers.append(world.trainer)
    db.session.commit()
    page = text_of(client.get("/reviews/"))
    assert "1 attempt from your own institution in Edycja testowa goes to the other trainers of the edition." in page
    assert "no other trainer is assigned" not in page
    outsider = signed_in(app, world.trainer)
    assert queued_ids(text_of(outsider.get("/reviews/"))) == [own_attempt.id, other_attempt.id]
    assert send_review(outsider, own_attempt, ["met", "met"], "", button="accept").status_code == 302


def test_only_the_editions_trainers_open_the_queue_and_its_attempts(app, world, make_user):
    attempt = submit_attempt(world.edition, world.stranger, world.profil)
    elsewhere = signed_in(app, make_user(Role.TRAINER, name="Zofia Zewnętrzna"))  # trains no edition here
    assert queued_ids(text_of(elsewhere.get("/reviews/"))) == []
    assert elsewhere.get(review_url(attempt)).status_code == 404
    assert (
        send_review(
            elsewhere,
            attempt,
            ["met", "met"],
            "",
            button="accept",
            token=csrf_token(elsewhere.get("/reviews/").get_data(as_text=True)),
        ).status_code
        == 404
    )
    assert signed_in(app, world.animator).get("/reviews/").status_code == 403
    assert count(Review) == 0


# --- changed course content --------------------------------------------------------------------


def test_reimported_content_does_not_change_what_an_earlier_attempt_is_judged_against(app, world, tmp_path):
    attempt = submit_attempt(world.edition, world.animator, world.profil, "Trzy zasoby, bez terminu")
    copy = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, copy)
    source = copy / "poziom-1" / "01-pierwszy.md"
    source.write_text(source.read_text().replace("- Plan ma termin.", "- Plan ma termin i osobę odpowiedzialną."))
    report = import_courses(copy)
    assert not report.errors and report.modules_versioned == ["mini/pierwszy"]
    new_text = "Plan ma termin i osobę odpowiedzialną."

    trainer = signed_in(app, world.trainer)
    page = text_of(trainer.get(review_url(attempt)))
    assert "Plan ma termin." in page and new_text not in page
    assert send_review(trainer, attempt, ["met", "not_met"], "Dodaj termin.").status_code == 302

    animator = signed_in(app, world.animator)
    work_page = text_of(animator.get(f"/editions/{world.edition.id}/assignments/{world.profil.id}/"))
    assert new_text in work_page  # the assignment as it stands now
    assert re.search(r"not met:</span>\s*Plan ma termin\.", work_page)  # attempt 1 as it was judged
    second = submit_attempt(world.edition, world.animator, world.profil, "Z terminem i osobą")
    assert second.assignment_version_id != attempt.assignment_version_id
    assert new_text in text_of(trainer.get(review_url(second)))


# --- the queue ------------------------------------------------------------------------------------


@pytest.fixture
def busy(world, make_user):
    """Waiting work in two editions, both scopes and both institutions, with known waiting times."""
    second = Edition(
        name="Edycja druga", programme=world.edition.programme, voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 3, 1), ends_on=date(2027, 3, 1), trainers=[world.trainer], institutions=[world.own],
    )  # fmt: skip
    db.session.add(second)
    db.session.flush()
    enrol(second, world.animator, world.coordinator)
    other_animator = make_user(Role.ANIMATOR, institution=world.other, name="Piotr Pilny")
    enrol(world.edition, other_animator, world.coordinator)
    db.session.commit()
    start = utcnow() - timedelta(days=5, minutes=30)
    attempts = SimpleNamespace(
        anna=submit_attempt(world.edition, world.animator, world.profil),  # waiting since start + 3 h
        olga=submit_attempt(world.edition, world.stranger, world.profil),  # start (the oldest)
        map=submit_attempt(world.edition, world.animator, world.mapa),  # start + 1 h
        anna_second=submit_attempt(second, world.animator, world.profil),  # start + 2 h
    )
    for attempt, hours in ((attempts.anna, 3), (attempts.olga, 0), (attempts.map, 1), (attempts.anna_second, 2)):
        when = start + timedelta(hours=hours)
        db.session.execute(update(Work).where(Work.id == attempt.work_id).values(last_submitted_at=when))
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(submitted_at=when))
    db.session.commit()
    ask_for_revision(submit_attempt(world.edition, world.stranger, world.mapa), world.trainer)
    judge(submit_attempt(world.edition, other_animator, world.profil), world.trainer)
    attempts.second_edition = second
    return attempts


def test_queue_lists_waiting_attempts_oldest_first_with_counts(app, world, busy):
    page = text_of(signed_in(app, world.trainer).get("/reviews/"))
    assert queued_ids(page) == [busy.olga.id, busy.map.id, busy.anna_second.id, busy.anna.id]
    assert badge_counts(page) == (4, 1, 1)
    first_row = page[page.index("<tbody>") :].split("</tr>")[0]
    assert "5 days" in first_row and "Olga Obca" in first_row and "OPS Cudzy" in first_row
    assert services.state_counts(world.trainer, QueueFilters()) == {
        WorkStatus.SUBMITTED: 4, WorkStatus.REVISION_REQUESTED: 1, WorkStatus.ACCEPTED: 1,
    }  # fmt: skip


def test_queue_filters_narrow_the_list_and_the_counts(app, world, busy):
    client = signed_in(app, world.trainer)
    cases = {
        f"edition={busy.second_edition.id}": ([busy.anna_second.id], (1, 0, 0)),
        f"edition={world.edition.id}": ([busy.olga.id, busy.map.id, busy.anna.id], (3, 1, 1)),
        f"institution={world.other.id}": ([busy.olga.id], (1, 1, 1)),
        f"module={module('drugi').id}": ([busy.map.id], (1, 1, 0)),
        "scope=institution": ([busy.map.id], (1, 1, 0)),
        "scope=person": ([busy.olga.id, busy.anna_second.id, busy.anna.id], (3, 0, 1)),
        f"edition={world.edition.id}&scope=person&institution={world.own.id}": ([busy.anna.id], (1, 0, 0)),
    }
    for query, (ids, counts) in cases.items():
        page = text_of(client.get(f"/reviews/?{query}"))
        assert (queued_ids(page), badge_counts(page)) == (ids, counts), query


def test_a_queue_page_past_the_end_leads_to_the_last_page_and_never_claims_the_queue_is_empty(app, world, busy):
    client = signed_in(app, world.trainer)
    size = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 2
    try:
        past = client.get("/reviews/?scope=person&page=99999")
        assert past.status_code == 302
        assert past.headers["Location"] == "/reviews/?scope=person&page=2"
        last = text_of(client.get(past.headers["Location"]))
        assert queued_ids(last) == [busy.anna.id] and "Nothing is waiting" not in last
        # A list that fits one page: the page number goes; an empty list says so on its only page.
        assert client.get("/reviews/?scope=institution&page=3").headers["Location"] == "/reviews/?scope=institution"
    finally:
        app.config["PAGE_SIZE"] = size


def test_queue_pages_keep_order_and_filters(app, world, busy):
    client = signed_in(app, world.trainer)
    size = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 2
    try:
        first, second = (text_of(client.get(f"/reviews/?page={n}")) for n in (1, 2))
        person_1, person_2 = (text_of(client.get(f"/reviews/?scope=person&page={n}")) for n in (1, 2))
    finally:
        app.config["PAGE_SIZE"] = size
    assert queued_ids(first) + queued_ids(second) == [busy.olga.id, busy.map.id, busy.anna_second.id, busy.anna.id]
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert (queued_ids(person_1), queued_ids(person_2)) == ([busy.olga.id, busy.anna_second.id], [busy.anna.id])
    next_links = [link for link in re.findall(r'href="(/reviews/\?[^"]*)"', person_1) if "page=2" in link]
    assert next_links and all("scope=person" in link for link in next_links)


def add_waiting(world, how_many: int) -> None:
    """``how_many`` more learners (from both institutions) each submit their profile."""
    start = count(User)
    for n in range(start, start + how_many):
        learner = User(email=f"uczestnik{n}@example.org", name=f"Uczestnik {n}", password_hash="!")
        learner.institution = world.own if n % 2 else world.other
        learner.grant(Role.ANIMATOR)
        db.session.add(learner)
        db.session.flush()
        enrol(world.edition, learner, world.coordinator)
        submit_attempt(world.edition, learner, world.profil)


def test_queue_page_queries_do_not_grow_with_the_number_of_waiting_attempts(app, world, count_queries):
    client = signed_in(app, world.trainer)
    submit_attempt(world.edition, world.animator, world.mapa)
    add_waiting(world, 2)

    def queries() -> int:
        client.get("/reviews/")  # warm up
        with count_queries() as counter:
            page = text_of(client.get("/reviews/"))
        return counter.count, len(queued_ids(page))

    few, shown_few = queries()
    add_waiting(world, 37)
    many, shown_many = queries()
    assert (shown_few, shown_many) == (3, 40)
    assert many == few


def test_review_page_queries_do_not_grow_with_earlier_attempts(app, world, count_queries):
    client = signed_in(app, world.trainer)

    def latest_after(attempts: int) -> Attempt:
        while True:
            # Attempt 1 brings a file; each revision's draft carries it over to the next attempt.
            first = not db.session.scalar(select(Attempt.id).limit(1))
            attempt = submit_attempt(
                world.edition, world.animator, world.profil, f"Wersja {attempts}", files=["plan.pdf"] if first else []
            )
            if attempt.number == attempts:
                return attempt
            ask_for_revision(attempt, world.trainer)

    def queries(attempt: Attempt) -> int:
        client.get(review_url(attempt))  # warm up
        with count_queries() as counter:
            page = text_of(client.get(review_url(attempt)))
        assert page.count('class="card mb-3" id="attempt-') == attempt.number
        return counter.count

    two = queries(latest_after(2))
    db.session.expire_all()
    ask_for_revision(db.session.scalar(select(Attempt).where(Attempt.number == 2)), world.trainer)
    six = queries(latest_after(6))
    assert six == two


# --- notifications -----------------------------------------------------------------------------


def notifications_of(user: User) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_trainers_get_a_notification_per_attempt_and_at_most_one_digest_an_hour(app, world, two_trainers, runner):
    tomasz, beata = two_trainers
    first = submit_attempt(world.edition, world.animator, world.profil)
    for trainer in (tomasz, beata):
        assert [n.link for n in notifications_of(trainer)] == [review_url(first)]
        mails = outbox(trainer.email)
        assert len(mails) == 1 and "Anna Animatorka" in mails[0].body
        assert link_in(mails[0]) == "/reviews/"

    second = submit_attempt(world.edition, world.stranger, world.profil)
    for trainer in (tomasz, beata):
        assert [n.link for n in notifications_of(trainer)] == [review_url(first), review_url(second)]
        assert len(outbox(trainer.email)) == 1

    result = runner.invoke(args=["notifications", "digests"])
    assert result.exit_code == 0 and "Digests: 0" in result.output
    assert [len(outbox(t.email)) for t in (tomasz, beata)] == [1, 1]

    # An hour later (as far as the log knows) the cron run sends what is pending, once.
    for log in db.session.scalars(select(DigestLog)):
        log.last_sent_at -= timedelta(minutes=61)
    db.session.commit()
    result = runner.invoke(args=["notifications", "digests"])
    assert result.exit_code == 0 and "Digests: 2" in result.output
    db.session.expire_all()
    for trainer in (tomasz, beata):
        mails = outbox(trainer.email)
        assert len(mails) == 2
        assert "Olga Obca" in mails[1].body and "Anna Animatorka" not in mails[1].body
    assert "Digests: 0" in runner.invoke(args=["notifications", "digests"]).output


def test_the_learner_is_notified_of_the_decision_and_the_badge_counts_unread(app, world):
    attempt = submit_attempt(world.edition, world.animator, world.profil)
    ask_for_revision(attempt, world.trainer)

    notes = notifications_of(world.animator)
    assert len(notes) == 1 and "Mój profil animatora" in notes[0].message
    mails = outbox(world.animator.email)
    assert len(mails) == 1 and "Mój profil animatora" in mails[0].subject
    animator = signed_in(app, world.animator)
    linked = text_of(animator.get(link_in(mails[0]), follow_redirects=True))
    assert "Popraw proszę." in linked  # the link in the e-mail opens the work with the feedback

    home = animator.get("/").get_data(as_text=True)
    assert unread_badge(home) == 1
    listing = text_of(animator.get("/notifications/"))
    assert notes[0].message in listing
    response = animator.post("/notifications/read", data={"csrf_token": csrf_token(listing)})
    assert response.status_code == 302
    assert unread_badge(animator.get("/").get_data(as_text=True)) == 0
    assert all(n.read_at is not None for n in notifications_of(world.animator))
    # The trainer's "new work" notice went when the work was decided: nothing is left for them to do.
    assert unread_badge(signed_in(app, world.trainer).get("/").get_data(as_text=True)) == 0


def test_a_decision_on_an_institution_deliverable_reaches_the_staff_working_on_it(world):
    attempt = submit_attempt(world.edition, world.animator, world.mapa)
    ask_for_revision(attempt, world.trainer)
    for person in (world.animator, world.coordinator):
        decisions = [n for n in notifications_of(person) if "potwierdź je" not in n.message]  # not the confirmation
        assert ["Mapa potrzeb i zasobów" in n.message for n in decisions] == [True]
        mails = outbox(person.email)
        assert len(mails) == 1 and link_in(mails[0]) == f"/works/{attempt.work_id}/"
    assert notifications_of(world.stranger) == [] and outbox(world.stranger.email) == []


def test_queue_filters_offer_the_trainers_editions_institutions_and_modules(app, world, busy):
    page = text_of(signed_in(app, world.trainer).get(f"/reviews/?module={module('drugi').id}"))
    form = page[page.index('aria-label="Filters"') : page.index("</form>", page.index('aria-label="Filters"'))]
    options = re.findall(r'<option value="(\d+)" (selected)?>([^<]+)</option>', form)
    assert [(int(id_), name) for id_, _, name in options[:2]] == [
        (busy.second_edition.id, "Edycja druga"), (world.edition.id, "Edycja testowa"),
    ]  # fmt: skip
    assert [name for _, _, name in options[2:4]] == ["OPS Cudzy", "OPS Własny"]  # by name
    modules = db.session.scalars(select(Module).order_by(Module.level_number, Module.position)).all()
    assert [(int(id_), bool(selected), name) for id_, selected, name in options[4:]] == [
        (m.id, m.slug == "drugi", m.current_version.title) for m in modules
    ]


def test_review_page_shows_every_attempt_with_its_files_judged_criteria_and_feedback(app, world):
    first = submit_attempt(world.edition, world.animator, world.profil, "Pierwsza wersja.", files=["plan.pdf"])
    ask_for_revision(first, world.trainer)
    second = submit_attempt(world.edition, world.animator, world.profil, "Druga wersja.")
    page = text_of(signed_in(app, world.trainer).get(review_url(second)))
    criteria = [criterion.text for criterion in second.assignment_version.criteria]
    history = page[page.index('id="attempt-2"') :]
    first_card = history[history.index('id="attempt-1"') :]
    assert "Druga wersja." in history and "Pierwsza wersja." in first_card
    assert first_card.count("✘") == len(criteria) and first_card.count("Uwaga") == len(criteria)
    assert all(text in first_card for text in criteria) and "Popraw proszę." in first_card
    assert "Tomasz Trener" in first_card and "Waiting for the trainer's decision." in history
    files = {attachment.attempt_id: attachment.id for attachment in db.session.scalars(select(Attachment))}
    assert set(files) == {first.id, second.id}  # the draft carried the file over to the second attempt
    assert {int(n) for n in re.findall(r'href="[^"]*/files/(\d+)" download', page)} == set(files.values())
    decision = page[page.index('id="decision-heading"') :]
    assert [int(n) for n in re.findall(r'<legend class="fs-6">(\d+)\. ', decision)] == list(range(1, len(criteria) + 1))
