"""Drafts are never lost: one work page whatever the link, the editor starts from the draft or the last
attempt, and a save from a stale tab is refused with both texts on the page."""

import io
import re

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.learning.decisions import Decision, Review
from lms.learning.models import Attachment, Attempt, StoredFile
from lms.rendering import render_markdown
from tests.conftest import csrf_token, link_in, login, outbox
from tests.learning.test_cycle import (
    build_world,
    judge,
    signed_in,
    submit_attempt,
    text_of,
    textarea,
    the_work,
    work_url,
)


@pytest.fixture
def world(snapshot):
    """One edition of the mini programme (as tests/learning/test_cycle.py builds it)."""
    return snapshot(build_world)


def draft_version(page: str) -> str:
    return re.search(r'name="draft_version"[^>]*value="(\d+)"', page).group(1)


def save(client, url: str, text: str, version: str, token_page: str, button: str = "save"):
    """Press ``button`` as a tab that loaded ``token_page`` (with its draft version ``version``) would."""
    data = {"text": text, "draft_version": version, button: "1", "csrf_token": csrf_token(token_page)}
    return client.post(url, data=data)


def test_the_revision_notification_opens_the_editor_with_the_previous_version(app, world):
    attempt = submit_attempt(world, world.animator, world.profil, "Wersja pierwsza: <imię i nazwisko>.")
    judge(attempt, world.trainer, met=False, feedback="Dopisz termin.", decision=Decision.REVISION_REQUESTED)
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)

    mail = outbox(world.animator.email)[-1]
    response = animator.get(link_in(mail))
    assert response.status_code == 302 and response.headers["Location"].endswith(url)  # one work page
    page = animator.get(url).get_data(as_text=True)
    assert textarea(page) == "Wersja pierwsza: <imię i nazwisko>."
    assert "Dopisz termin." in text_of(animator.get(url))

    # The carried-over draft was empty in older data: the editor still starts from version 1.
    work = the_work(world, world.profil, world.animator)
    work.draft_text = ""
    db.session.commit()
    assert textarea(animator.get(url).get_data(as_text=True)) == "Wersja pierwsza: <imię i nazwisko>."


def test_a_save_from_a_stale_tab_is_refused_and_offers_both_texts(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    first_tab = animator.get(url).get_data(as_text=True)
    assert save(animator, url, "Początek", draft_version(first_tab), first_tab).status_code == 302
    second_tab = animator.get(url).get_data(as_text=True)
    older = draft_version(first_tab)

    assert save(animator, url, "Nowszy tekst z drugiej karty", draft_version(second_tab), second_tab).status_code == 302
    refused = save(animator, url, "Tekst ze starej karty", older, first_tab)
    assert refused.status_code == 200
    page = text_of(refused)
    assert "changed in another tab or window" in page and "not saved" in page
    assert textarea(refused.get_data(as_text=True)) == "Tekst ze starej karty"  # theirs, in the editor
    assert re.search(r'id="saved-text"[^>]*readonly>\s*Nowszy tekst z drugiej karty</textarea>', page)
    work = the_work(world, world.profil, world.animator)
    assert work.draft_text == "Nowszy tekst z drugiej karty"  # nothing overwritten

    # Having seen both, the person saves again from the refusal page: now it lands.
    again = save(animator, url, "Połączone teksty", draft_version(refused.get_data(as_text=True)), page)
    assert again.status_code == 302
    assert the_work(world, world.profil, world.animator).draft_text == "Połączone teksty"


def test_preview_saves_the_draft_and_says_so(app, world):
    """Previewing keeps what was typed (the draft is saved) and the page says it was saved."""
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    tab = animator.get(url).get_data(as_text=True)
    assert "Save and preview" in tab  # the button itself says it saves
    previewed = save(animator, url, "Mam **trzy** zasoby.", draft_version(tab), tab, button="preview")
    assert previewed.status_code == 200
    page = text_of(previewed)
    assert "Draft saved. Below is how your answer will look to the trainer." in page
    assert "Mam <strong>trzy</strong> zasoby." in page
    assert the_work(world, world.profil, world.animator).draft_text == "Mam **trzy** zasoby."


def test_a_preview_from_a_stale_tab_overwrites_nothing_and_shows_both_texts(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    old_tab = animator.get(url).get_data(as_text=True)
    assert save(animator, url, "Nowszy tekst", draft_version(old_tab), old_tab).status_code == 302
    refused = save(animator, url, "Stary tekst", draft_version(old_tab), old_tab, button="preview")
    page = text_of(refused)
    assert refused.status_code == 200 and "changed in another tab or window" in page
    assert "Below is how your answer will look" not in page
    assert re.search(r'id="saved-text"[^>]*readonly>\s*Nowszy tekst</textarea>', page)
    assert the_work(world, world.profil, world.animator).draft_text == "Nowszy tekst"


def test_a_submission_from_a_stale_tab_is_refused_too(app, world):
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    tab = animator.get(url).get_data(as_text=True)
    assert save(animator, url, "Szkic", draft_version(tab), tab).status_code == 302
    refused = save(animator, url, "Stary tekst", draft_version(tab), tab, button="submit")
    assert refused.status_code == 200 and "changed in another tab or window" in text_of(refused)
    assert db.session.scalar(select(Attempt)) is None


def test_stored_texts_are_rendered_again_by_the_command(app, world, runner):
    attempt = submit_attempt(world, world.animator, world.profil, "Drogi <imię>, AT&T")
    review = judge(attempt, world.trainer, met=False, feedback="Zamień <b>x</b>", decision=Decision.REVISION_REQUESTED)
    attempt.text_html = render_markdown(attempt.text_md)  # as the old renderer stored it: the placeholder gone
    review.feedback_html = render_markdown(review.feedback_md)
    db.session.commit()
    assert "imię" not in attempt.text_html

    result = runner.invoke(args=["progress", "rerender-texts"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).text_html == "<p>Drogi &lt;imię&gt;, AT&amp;T</p>"
    assert db.session.get(Review, review.id).feedback_html == "<p>Zamień &lt;b&gt;x&lt;/b&gt;</p>"
    assert "0" in runner.invoke(args=["progress", "rerender-texts"]).output  # nothing left to change


def test_files_sent_with_a_refused_stale_save_are_kept_in_the_draft(app, world):
    """The text of a stale tab is refused, but the files sent with it join the draft, and the page says so."""
    animator = app.test_client()  # in Polish, the site's language
    assert login(animator, world.animator).status_code == 302
    url = work_url(world, world.profil)
    old_tab = animator.get(url).get_data(as_text=True)
    assert save(animator, url, "Nowszy tekst", draft_version(old_tab), old_tab).status_code == 302

    data = {
        "text": "Tekst ze starej karty",
        "draft_version": draft_version(old_tab),
        "save": "1",
        "csrf_token": csrf_token(old_tab),
        "files": [
            (io.BytesIO("Lista obecności".encode()), "lista.txt"),
            (io.BytesIO("Plan działań".encode()), "plan.txt"),
        ],
    }
    refused = animator.post(url, data=data, content_type="multipart/form-data")
    assert refused.status_code == 200
    page = text_of(refused)
    assert "w innej karcie" in page
    assert "Wysłane pliki (2) nie przepadły: są teraz wśród plików Twojego szkicu (lista.txt, plan.txt)." in page
    assert re.search(r"Pliki w szkicu.*lista\.txt.*plan\.txt", page, re.S)
    work = the_work(world, world.profil, world.animator)
    assert work.draft_text == "Nowszy tekst"  # the text is still refused: nothing overwritten
    files = db.session.scalars(
        select(Attachment).where(Attachment.work_id == work.id, Attachment.attempt_id.is_(None))
    ).all()
    assert sorted(f.filename for f in files) == ["lista.txt", "plan.txt"]
    contents = db.session.scalars(
        select(StoredFile.content).join(Attachment).where(Attachment.id.in_([f.id for f in files]))
    ).all()
    assert sorted(contents) == ["Lista obecności".encode(), "Plan działań".encode()]


def test_an_answer_over_the_limit_gets_a_form_error_and_keeps_its_text(app, world):
    """~600 kB of text: no bare 413 page, but the editor with the limit named and the text given back."""
    animator = signed_in(app, world.animator)
    url = work_url(world, world.profil)
    tab = animator.get(url).get_data(as_text=True)
    assert "At most 100,000 characters" in text_of(animator.get(url))  # the form states the limit
    assert save(animator, url, "Krótki szkic", draft_version(tab), tab).status_code == 302
    tab = animator.get(url).get_data(as_text=True)
    long_text = "Mapa zasobów osiedla. " * 28_000 + "Koniec."  # 616,007 characters
    for button in ("save", "preview", "submit"):
        response = save(animator, url, long_text, draft_version(tab), tab, button=button)
        assert response.status_code == 200
        page = text_of(response)
        assert "The text is too long: 616,007 characters, at most 100,000. Nothing was saved" in page
        assert textarea(response.get_data(as_text=True)) == long_text  # given back, not lost
    assert the_work(world, world.profil, world.animator).draft_text == "Krótki szkic"
    assert db.session.scalar(select(Attempt)) is None
