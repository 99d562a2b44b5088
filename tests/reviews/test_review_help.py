"""What helps a trainer review: a readable changes view, a form that starts from the last judgements, a
comment bank, and arrival notices that say what arrived and go once the work is decided."""

import itertools
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import Role
from lms.extensions import db
from lms.learning.decisions import Decision
from lms.notifications.models import Notification
from lms.reviews import comment_bank
from lms.reviews.comment_bank import SavedComment
from lms.reviews.services import CriterionJudgement, decide, text_diff
from tests.conftest import csrf_token, login, outbox
from tests.reviews.test_reviews import build_world, signed_in, submit_attempt, text_of


@pytest.fixture
def world(snapshot):
    """One edition of the mini programme (as tests/reviews/test_reviews.py builds it)."""
    return snapshot(build_world)


def revise(attempt, trainer, met: list[bool], comments: list[str]):
    criteria = attempt.assignment_version.criteria
    judged = [CriterionJudgement(c.id, ok, note) for c, ok, note in zip(criteria, met, comments, strict=True)]
    decide(attempt, trainer, judged, "Popraw proszę.", Decision.REVISION_REQUESTED)
    db.session.commit()


def second_attempt(world, first_text: str, second_text: str, met=(True, False), comments=("Dobrze.", "Brak daty.")):
    first = submit_attempt(world.edition, world.animator, world.profil, first_text)
    revise(first, world.trainer, list(met), list(comments))
    return submit_attempt(world.edition, world.animator, world.profil, second_text)


def test_the_word_diff_marks_words_and_keeps_the_rest_as_typed():
    changes = text_diff("Plan na maj: <termin>.\nZespół 3 osoby.", "Plan na czerwiec: <termin>.\nZespół 3 osoby.")
    assert "".join(c.text for c in changes if c.kind != "removed") == "Plan na czerwiec: <termin>.\nZespół 3 osoby."
    assert [(c.kind, c.text) for c in changes if c.kind != "same"] == [("removed", "maj:"), ("added", "czerwiec:")]


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        ("", "Nowy tekst."),
        ("Stary tekst.", ""),
        ("a\nb\nc\n", "a\nB b\nc\nd\n"),
        ("Akapit <1>.\n\nAkapit 2 & 3.\n", "Akapit 2 & 3.\n\nAkapit <1>, poprawiony.\n"),
        ("słowo " * 3000, "inne " * 3000),  # a rewritten long block: removed and added whole
    ],
)
def test_the_diff_rebuilds_both_versions_exactly(previous, current):
    changes = text_diff(previous, current)
    assert "".join(c.text for c in changes if c.kind != "added") == previous
    assert "".join(c.text for c in changes if c.kind != "removed") == current
    assert all(a.kind != b.kind for a, b in itertools.pairwise(changes))  # neighbours merged


def test_the_changes_view_shows_inserted_and_deleted_words_with_labels_and_no_hunks(app, world):
    attempt = second_attempt(
        world, "Spotkanie <data> w świetlicy.\n\nDruga linia.", "Spotkanie <data> w szkole.\n\nDruga linia."
    )
    page = signed_in(app, world.trainer).get(f"/reviews/attempts/{attempt.id}/").get_data(as_text=True)
    diff = re.search(r'<div class="diff-words[^"]*">(.*?)</div>', page, re.S).group(1)
    assert '<del class="diff-del"><span class="visually-hidden">[removed: </span>świetlicy.' in diff
    assert '<ins class="diff-add"><span class="visually-hidden">[added: </span>szkole.' in diff
    assert "Spotkanie &lt;data&gt; w " in diff and "Druga linia." in diff  # unchanged text, shown as typed
    assert "@@" not in page


def test_the_review_of_the_next_version_starts_from_the_last_judgements(app, world):
    attempt = second_attempt(world, "Wersja 1", "Wersja 2")
    first, second = attempt.assignment_version.criteria
    page = signed_in(app, world.trainer).get(f"/reviews/attempts/{attempt.id}/").get_data(as_text=True)
    assert re.search(rf'<input checked [^>]*id="met_{first.id}-0"[^>]*value="met">', page)
    assert re.search(rf'<input checked [^>]*id="met_{second.id}-1"[^>]*value="not_met">', page)
    assert re.search(rf'name="comment_{second.id}"[^>]*>\s*Brak daty.</textarea>', page)
    fieldsets = re.findall(r'<fieldset class="([^"]*)">\s*<legend[^>]*>(.*?)</legend>', page, re.S)
    marked = [legend for classes, legend in fieldsets if "criterion-unmet-before" in classes]
    assert len(marked) == 1 and second.text in marked[0] and "not met last time" in marked[0]


def press(client, url: str, data: dict):
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(page)})


def test_a_trainer_saves_a_comment_to_the_bank_and_inserts_it_later(app, world, make_user):
    attempt = submit_attempt(world.edition, world.animator, world.profil, "Praca")
    first, second = attempt.assignment_version.criteria
    trainer = signed_in(app, world.trainer)
    url = f"/reviews/attempts/{attempt.id}/"

    saved = press(
        trainer,
        url,
        {f"met_{first.id}": "met", f"comment_{first.id}": "Dopisz <termin> & miejsce.", "bank_save": str(first.id)},
    )
    assert saved.status_code == 200
    page = text_of(saved)
    assert "The comment is in your bank." in page
    assert "Dopisz <termin> & miejsce." in page  # the form comes back as typed
    assert re.search(rf'<input checked [^>]*id="met_{first.id}-0"', saved.get_data(as_text=True))
    comment = db.session.scalar(select(SavedComment))
    assert (comment.trainer_id, comment.text) == (world.trainer.id, "Dopisz <termin> & miejsce.")
    press(trainer, url, {f"comment_{first.id}": "Dopisz <termin> & miejsce.", "bank_save": str(first.id)})
    assert len(db.session.scalars(select(SavedComment)).all()) == 1  # once

    inserted = press(
        trainer,
        url,
        {
            f"comment_{second.id}": "Na początek.",
            f"bank_pick_{second.id}": str(comment.id),
            "bank_insert": str(second.id),
        },
    )
    assert re.search(
        rf'name="comment_{second.id}"[^>]*>\s*Na początek.\nDopisz &lt;termin&gt; &amp; miejsce.</textarea>',
        inserted.get_data(as_text=True),
    )

    # Another trainer's bank is their own: they neither see nor insert this comment.
    other = make_user(Role.TRAINER, name="Beata Druga")
    world.edition.trainers.append(other)
    db.session.commit()
    stranger = signed_in(app, other)
    assert "Dopisz" not in text_of(stranger.get(url))
    refused = press(stranger, url, {f"bank_pick_{second.id}": str(comment.id), "bank_insert": str(second.id)})
    assert refused.status_code == 200 and "Dopisz" not in text_of(refused)


def test_an_empty_comment_is_not_saved_to_the_bank(app, world):
    attempt = submit_attempt(world.edition, world.animator, world.profil, "Praca")
    first = attempt.assignment_version.criteria[0]
    response = press(signed_in(app, world.trainer), f"/reviews/attempts/{attempt.id}/", {"bank_save": str(first.id)})
    assert response.status_code == 200 and "Write the comment before saving it to your bank." in text_of(response)
    assert db.session.scalar(select(SavedComment)) is None


def test_arrival_notices_say_new_work_then_a_version_and_go_once_decided(app, world, make_user):
    other = make_user(Role.TRAINER, name="Beata Druga")
    world.edition.trainers.append(other)
    db.session.commit()
    first = submit_attempt(world.edition, world.animator, world.profil, "Praca")
    notices = db.session.scalars(select(Notification).where(Notification.user_id == other.id)).all()
    assert [n.message for n in notices] == ["Nowa praca od: Anna Animatorka — Mój profil animatora"]

    revise(first, world.trainer, [True, False], ["", "Brak"])  # decided by the other trainer
    assert (
        db.session.scalars(select(Notification).where(Notification.user_id.in_([other.id, world.trainer.id]))).all()
        == []
    )

    submit_attempt(world.edition, world.animator, world.profil, "Praca 2")
    notices = db.session.scalars(select(Notification).where(Notification.user_id == other.id)).all()
    assert [n.message for n in notices] == ["Nowa wersja 2 od: Anna Animatorka — Mój profil animatora"]
    listing = text_of(signed_in(app, other).get("/notifications/"))
    assert "Nowa wersja 2 od: Anna Animatorka" in listing and "Nowa praca" not in listing


def test_names_typed_with_brackets_and_ampersands_read_literally_in_notices_and_e_mails(app, world):
    world.animator.name = 'Jan "Janek" Kowalski <jan@example.pl> & Syn'
    db.session.commit()
    first = submit_attempt(world.edition, world.animator, world.profil, "Praca")
    digest = outbox(world.trainer.email)[-1]
    assert 'Nowa praca od: Jan "Janek" Kowalski <jan@example.pl> & Syn — Mój profil animatora' in digest.body
    listing = signed_in(app, world.trainer).get("/notifications/").get_data(as_text=True)
    assert "Jan &#34;Janek&#34; Kowalski &lt;jan@example.pl&gt; &amp; Syn" in listing  # escaped once: reads as typed
    revise(first, world.trainer, [True, False], ["", "Brak <daty>"])
    assert outbox(world.animator.email)[-1].body.startswith("Do poprawy: Mój profil animatora")


def polish(app, user):
    """A fresh browser signed in as ``user``, in the site's default language (Polish)."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def test_a_trainer_edits_and_deletes_their_own_saved_comments_only(app, world, make_user):
    kept = comment_bank.save_comment(world.trainer, "Dopisz <termin>.")
    other_text = comment_bank.save_comment(world.trainer, "Brak budżetu.")
    db.session.commit()
    kept_id, other_id = kept.id, other_text.id
    trainer = polish(app, world.trainer)
    page = trainer.get("/reviews/comments/")
    assert page.status_code == 200
    assert "Mój bank komentarzy" in text_of(page) and "Masz 2 zapisane komentarze." in text_of(page)
    assert "Dopisz <termin>." in text_of(page)  # shown as typed

    token = csrf_token(page.get_data(as_text=True))
    response = trainer.post(f"/reviews/comments/{kept_id}/edit", data={"csrf_token": token, "text": " Dopisz <datę>. "})
    assert response.status_code == 302
    assert "Komentarz został zmieniony." in text_of(trainer.get("/reviews/comments/"))
    db.session.expire_all()
    assert db.session.get(SavedComment, kept_id).text == "Dopisz <datę>."

    # Bad input: a clear Polish message, the typed text kept, nothing saved.
    refusals = (("   ", "Najpierw wpisz komentarz"), ("Brak budżetu.", "Ten komentarz jest już w Twoim banku."))
    for text, message in refusals:
        refused = trainer.post(f"/reviews/comments/{kept_id}/edit", data={"csrf_token": token, "text": text})
        assert refused.status_code == 200 and message in text_of(refused)
    kept_as_typed = rf'id="saved-{kept_id}"[^>]*aria-invalid="true"[^>]*>\s*Brak budżetu.</textarea>'
    assert re.search(kept_as_typed, text_of(refused))
    db.session.expire_all()
    assert db.session.get(SavedComment, kept_id).text == "Dopisz <datę>."

    # Another trainer can neither change nor delete it; without the CSRF token nothing happens.
    stranger = polish(app, make_user(Role.TRAINER, name="Beata Druga"))
    stranger_token = csrf_token(stranger.get("/reviews/comments/").get_data(as_text=True))
    assert "Dopisz" not in text_of(stranger.get("/reviews/comments/"))
    assert (
        stranger.post(f"/reviews/comments/{kept_id}/edit", data={"csrf_token": stranger_token, "text": "x"}).status_code
        == 404
    )
    assert stranger.post(f"/reviews/comments/{kept_id}/delete", data={"csrf_token": stranger_token}).status_code == 404
    assert trainer.post(f"/reviews/comments/{kept_id}/delete", data={}).status_code == 400
    assert db.session.get(SavedComment, kept_id) is not None

    response = trainer.post(f"/reviews/comments/{kept_id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    after = text_of(trainer.get("/reviews/comments/"))
    assert "Komentarz został usunięty z Twojego banku." in after and "Masz 1 zapisany komentarz." in after
    db.session.expire_all()
    assert db.session.get(SavedComment, kept_id) is None and db.session.get(SavedComment, other_id) is not None


def test_the_review_header_names_the_institution_once_for_its_deliverable(app, world):
    deliverable = submit_attempt(world.edition, world.coordinator, world.mapa, "Mapa zasobów")
    personal = submit_attempt(world.edition, world.animator, world.profil, "Profil")
    trainer = polish(app, world.trainer)

    def who(attempt) -> str:
        page = text_of(trainer.get(f"/reviews/attempts/{attempt.id}/"))
        return re.search(r'<p class="text-muted review-who">(.*?)</p>', page, re.S).group(1)

    header = who(deliverable)
    assert header.count("OPS Własny") == 1 and "Zadanie instytucji" in header
    assert "Celina" not in header  # the deliverable is the institution's, whoever sent it
    assert who(personal).startswith("Anna Animatorka · OPS Własny · ")
