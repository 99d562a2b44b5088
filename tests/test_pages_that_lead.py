"""Pages that lead (issue 14, part 4) and the accessibility statement (issue 15), as requests see them.

The browser side (no sideways scrolling at 390 px, axe-core, the menu button) is in tests/e2e/test_accessibility.py.
"""

import re

import pytest
from sqlalchemy import select

from lms.content.models import Module
from lms.extensions import db
from lms.rendering import render_markdown, render_typed_markdown
from tests.conftest import login
from tests.learning.test_cycle import build_world, submit_attempt, work_url


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def module_url(world) -> str:
    module = db.session.scalar(select(Module).where(Module.id == world.profil.module_id))
    return f"/programmes/{world.edition.programme.slug}/modules/{module.slug}/"


def test_the_module_page_lists_its_assignments_with_state_and_button_before_the_text(client, world):
    login(client, world.animator)
    html = client.get(module_url(world)).get_data(as_text=True)
    box = html[html.index('id="todo-heading"') : html.index('class="module-text"')]
    assert "Mój profil animatora" in box
    assert "Rozpocznij zadanie" in box and work_url(world, world.profil) in box
    assert html.index('id="todo-heading"') < html.index('id="goals-heading"')


def test_the_module_page_tells_who_may_not_work_yet_what_to_do(client, world):
    anonymous = text_of(client.get(module_url(world)).get_data(as_text=True))
    assert "Zaloguj się, aby wykonywać zadania" in anonymous
    login(client, world.colleague)  # same institution, not enrolled
    colleague = text_of(client.get(module_url(world)).get_data(as_text=True))
    assert "Poproś koordynatora swojej instytucji o zapisanie Cię" in colleague


def test_next_step_links_straight_to_the_assignment(client, world):
    login(client, world.animator)
    html = client.get("/").get_data(as_text=True)
    step = html[html.index("alert-primary") :]
    step = step[: step.index("</div>")]
    assert work_url(world, world.profil) in step


def test_a_learner_heading_sits_below_the_page_headings(client, world):
    assert "<h4>Mój plan</h4>" in render_typed_markdown("# Mój plan")
    submit_attempt(world, world.animator, world.profil, "# Mój plan\n\n## Krok pierwszy\n\nTreść.")
    login(client, world.animator)
    html = client.get(work_url(world, world.profil)).get_data(as_text=True)
    assert re.search(r"<h4[^>]*>Mój plan</h4>", html) and re.search(r"<h5[^>]*>Krok pierwszy</h5>", html)
    assert not re.search(r"<h[1-3][^>]*>Mój plan", html)


def test_tables_in_texts_scroll_in_a_named_box_and_have_no_empty_header():
    html = render_markdown("| | Lider | Animator |\n|---|---|---|\n| Kto decyduje? | lider | mieszkańcy |")
    assert html.startswith('<div class="scroll-box" role="region" tabindex="0" aria-label="Lider, Animator">')
    assert "<th></th>" not in html and "<td></td>" in html


def test_empty_states_say_what_to_do_next(client, world):
    home = text_of(client.get("/").get_data(as_text=True))
    assert "Jak dołączyć" in home and "zaproszenie e-mailem od koordynatora" in home
    verify = text_of(client.get("/verify/").get_data(as_text=True))
    assert "w wierszu „Kod weryfikacyjny”, tuż nad kodem QR" in verify
    registry = text_of(client.get("/registry/").get_data(as_text=True))
    assert "Żadne centrum nie ma jeszcze Certyfikatu CAL" in registry and "nie pasuje" not in registry
    filtered = text_of(client.get("/registry/?voivodeship=mazowieckie").get_data(as_text=True))
    assert "Pokaż wszystkie województwa i rodzaje" in filtered
    login(client, world.colleague)
    editions = text_of(client.get("/").get_data(as_text=True))
    assert "Na edycję zapisuje Cię koordynator Twojej instytucji" in editions


def test_every_page_has_a_title_of_its_own_and_a_favicon(client, world):
    login(client, world.animator)
    titles = {}
    for url in ["/", "/programmes/", module_url(world), work_url(world, world.profil), "/certificates/", "/dostepnosc"]:
        html = client.get(url).get_data(as_text=True)
        titles[url] = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert 'rel="icon"' in html
    assert all(title.endswith(" · Akademia CAL") for title in titles.values()), titles
    assert len(set(titles.values())) == len(titles), titles
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_the_accessibility_statement_follows_the_legal_model_with_configured_contacts(app, client):
    app.config.update(
        ACCESSIBILITY_OPERATOR="Fundacja Przykładowa",
        ACCESSIBILITY_CONTACT_NAME="Jan Kontaktowy",
        ACCESSIBILITY_CONTACT_EMAIL="dostepnosc@example.org",
        ACCESSIBILITY_CONTACT_PHONE="+48 22 000 00 00",
    )
    try:
        html = client.get("/dostepnosc").get_data(as_text=True)
    finally:
        app.config.update(ACCESSIBILITY_OPERATOR="Akademia CAL", ACCESSIBILITY_CONTACT_NAME="")
        app.config.update(ACCESSIBILITY_CONTACT_EMAIL="", ACCESSIBILITY_CONTACT_PHONE="")
    for part in [
        "a11y-wstep", "a11y-podmiot", "a11y-url", "a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-status",
        "a11y-data-sporzadzenie", "a11y-kontakt", "a11y-osoba", "a11y-email", "a11y-telefon", "a11y-procedura",
        "a11y-architektura", "a11y-aplikacje",
    ]:  # fmt: skip
        assert f'id="{part}"' in html, part
    text = text_of(html)
    assert "Fundacja Przykładowa zobowiązuje się zapewnić dostępność" in text
    assert "Jan Kontaktowy" in text and "mailto:dostepnosc@example.org" in html and 'href="tel:+48220000000"' in html
    assert "Rzecznika Praw Obywatelskich" in text and "nie później niż w ciągu 7 dni" in text
    # Linked from every page's footer.
    assert 'href="/dostepnosc">Deklaracja dostępności</a>' in client.get("/").get_data(as_text=True)


def test_errors_are_tied_to_their_fields(client, world):
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/login").get_data(as_text=True))
    html = client.post("/login", data={"email": "", "password": "", "csrf_token": token}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="email-error-1"' in field
    assert re.search(r'<div id="email-error-1" class="invalid-feedback d-block">[^<]+</div>', html)


def test_a_status_after_a_form_post_is_announced(client, world):
    from tests.conftest import post_form

    login(client, world.animator)
    url = work_url(world, world.profil)
    response = post_form(client, url, {"text": "Szkic.", "save": "1"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<div class="alert alert-success" role="status">[^<]+</div>', html)
