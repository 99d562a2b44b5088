"""Catalogue, programme and module pages as a visitor sees them, in Polish and in English."""

import shutil

import pytest

from lms.content.importer import import_courses
from tests.conftest import MINI_COURSES, csrf_token


def test_home_and_catalogue_list_programmes(client, mini_programme):
    for url in ("/", "/programmes/"):
        html = client.get(url).get_data(as_text=True)
        assert "Program testowy" in html
        assert "3 moduły" in html
        assert 'lang="pl"' in html


def test_programme_page_lists_levels_and_modules_in_order_with_hours_and_goals(client, mini_programme):
    html = client.get("/programmes/mini/").get_data(as_text=True)
    positions = [
        html.index(text)
        for text in ("Poziom I", "Pierwszy moduł", "Drugi moduł", "Poziom II", "Konsultacje indywidualne")
    ]
    assert positions == sorted(positions)
    assert "8 godz." in html and "1,5 godz." in html
    assert "Znasz pięć standardów CAL." in html


def test_module_page_shows_text_goals_instructions_and_criteria(client, mini_programme):
    html = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert '<h2 id="czym-jest-cal">Czym jest CAL</h2>' in html
    assert "Cele szkoleniowe" in html and "Rozumiesz rolę animatora." in html
    assert "Opisz <strong>swoje</strong> zasoby." in html
    assert "Kryteria oceny" in html and "Profil wymienia trzy zasoby." in html
    assert "Zadanie indywidualne" in html and "Obowiązkowe" in html


def test_module_page_links_previous_and_next_across_levels(client, mini_programme):
    first = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert 'rel="prev"' not in first
    assert 'rel="next" href="/programmes/mini/modules/drugi/"' in first
    second = client.get("/programmes/mini/modules/drugi/").get_data(as_text=True)
    assert 'rel="prev" href="/programmes/mini/modules/pierwszy/"' in second
    assert 'rel="next" href="/programmes/mini/modules/konsultacje/"' in second


@pytest.mark.parametrize("url", ["/programmes/nie-ma/", "/programmes/mini/modules/nie-ma/", "/zupelnie/inny/adres"])
def test_unknown_pages_answer_404_in_polish(client, mini_programme, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Nie znaleźliśmy tej strony" in response.get_data(as_text=True)


def test_language_switch_to_english_changes_interface_not_content(client, mini_programme):
    page = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    response = client.post(
        "/language", data={"lang": "en", "next": "/programmes/mini/modules/pierwszy/", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/programmes/mini/modules/pierwszy/"
    html = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Learning goals" in html and "Review criteria" in html
    assert "Rozumiesz rolę animatora." in html  # course content stays Polish
    assert "404" in client.get("/nope").get_data(as_text=True)
    assert "We could not find this page" in client.get("/nope").get_data(as_text=True)


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client, mini_programme):
    token = csrf_token(client.get("/").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"lang": "xx", "next": target, "csrf_token": token})
        assert response.headers["Location"] == "/"
    assert 'lang="pl"' in client.get("/").get_data(as_text=True)


def test_language_switch_without_csrf_token_is_refused(client):
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 400
    assert "Formularz wygasł" in response.get_data(as_text=True)


def test_pages_do_not_render_markdown_per_request(client, mini_programme, monkeypatch):
    def fail(*_args, **_kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr("lms.rendering.markdown.markdown", fail)
    for url in ("/", "/programmes/", "/programmes/mini/", "/programmes/mini/modules/pierwszy/"):
        assert client.get(url).status_code == 200


def test_page_query_counts_do_not_grow_with_the_content(client, count_queries, tmp_path):
    """The same pages on a small and a larger programme run the same number of queries."""
    import_courses(MINI_COURSES)
    urls = ["/", "/programmes/", "/programmes/mini/", "/programmes/mini/modules/drugi/"]

    def counts():
        result = []
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    small = counts()
    bigger = tmp_path / "mini"
    import shutil

    shutil.copytree(MINI_COURSES, bigger)
    source = (bigger / "poziom-1/02-drugi.md").read_text(encoding="utf-8")
    for n in range(3, 15):
        text = source.replace("slug: drugi", f"slug: extra-{n}").replace("order: 2", f"order: {n}")
        (bigger / f"poziom-1/{n:02}-extra.md").write_text(
            text.replace("slug: mapa", f"slug: mapa-{n}"), encoding="utf-8"
        )
    assert not import_courses(bigger).errors
    assert counts() == small


def test_module_page_shows_each_assignment_with_its_own_criteria_in_order(client, tmp_path):
    courses = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, courses)
    first = courses / "poziom-1/01-pierwszy.md"
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            "---\n## Czym jest CAL",
            "  - slug: wywiad\n    title: Wywiad z sąsiadem\n    scope: person\n    required: false\n"
            "    instructions: Przeprowadź wywiad.\n"
            "    criteria:\n      - Wywiad ma notatkę.\n      - Notatka ma datę.\n"
            "  - slug: refleksja\n    title: Refleksja po module\n    scope: person\n    required: false\n"
            "    instructions: Napisz refleksję.\n    criteria:\n      - Refleksja ma akapit.\n"
            "---\n## Czym jest CAL",
        ),
        encoding="utf-8",
    )
    assert not import_courses(courses).errors
    html = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    order = [
        "Mój profil animatora",
        "<li>Profil wymienia trzy zasoby.</li><li>Plan ma termin.</li>",
        "Wywiad z sąsiadem",
        "<li>Wywiad ma notatkę.</li><li>Notatka ma datę.</li>",
        "Refleksja po module",
        "<li>Refleksja ma akapit.</li>",
    ]
    # The full assignments (after the box under the title that lists them first).
    full = html[html.index('id="assignments-heading"') :]
    positions = [full.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Zadania" in html and html.count('class="criteria"') == 3


def test_module_page_follows_reimported_content_and_retired_modules(client, tmp_path):
    courses = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, courses)
    assert not import_courses(courses).errors
    assert "Mapa ma cztery części." in client.get("/programmes/mini/modules/drugi/").get_data(as_text=True)

    second = courses / "poziom-1/02-drugi.md"
    second.write_text(
        second.read_text(encoding="utf-8").replace("Mapa ma cztery części.", "Mapa ma pięć części."), encoding="utf-8"
    )
    (courses / "poziom-2/01-konsultacje.md").unlink()
    assert not import_courses(courses).errors
    html = client.get("/programmes/mini/modules/drugi/").get_data(as_text=True)
    assert "Mapa ma pięć części." in html and "Mapa ma cztery części." not in html
    assert 'rel="prev" href="/programmes/mini/modules/pierwszy/"' in html and 'rel="next"' not in html
    assert client.get("/programmes/mini/modules/konsultacje/").status_code == 404
