"""Polish that reads naturally: plural forms, words that agree with their noun, no "(a)" forms, labels not keys."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from lms.content.models import ModuleVersion
from lms.extensions import db
from tests.auth.test_access_matrix import world  # noqa: F401 (fixture)
from tests.certificates.conftest import decide, submit
from tests.certificates.conftest import world as certification_world  # noqa: F401 (fixture)
from tests.conftest import login

CATALOGUE = Path(__file__).parent.parent / "translations/pl/LC_MESSAGES/messages.po"


@pytest.mark.parametrize(
    ("count", "polish"), [(1, "1 godzina"), (2, "2 godziny"), (5, "5 godzin"), (22, "22 godziny"), (132, "132 godziny")]
)
def test_hours_take_the_polish_plural_form(app, count, polish):
    with app.test_request_context(), force_locale("pl"):
        assert ngettext("%(num)s hour", "%(num)s hours", count) == polish


def test_the_catalogue_writes_hours_with_their_plural_form(client, mini_programme):
    hours = round(db.session.scalar(select(func.sum(ModuleVersion.duration_hours))))  # one version per module
    html = client.get("/programmes/").get_data(as_text=True)
    with client.application.test_request_context(), force_locale("pl"):
        assert ngettext("%(num)s hour", "%(num)s hours", hours) in html
    assert "godziny:" not in html


def test_no_translation_uses_gender_brackets_or_slashes():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    pattern = re.compile(r"\w\((a|ka|-a|a\)-a)\)|\w/-?(a|aś|ka)\b")
    found = [
        text
        for message in catalogue
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if text and pattern.search(text)
    ]
    assert not found


def test_statuses_agree_with_module_and_assignment(app, certification_world):  # noqa: F811 (fixture)
    animator, edition, trainer = (certification_world[k] for k in ("animator", "edition", "trainer"))
    client = app.test_client()
    login(client, animator)
    home = client.get("/").get_data(as_text=True)
    module = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert ">nierozpoczęty<" in home and ">nierozpoczęte<" not in home  # moduł nierozpoczęty
    assert ">nierozpoczęte<" in module and ">nierozpoczęty<" not in module  # zadanie nierozpoczęte
    decide(submit(animator, edition, "profil"), trainer)
    home = client.get("/").get_data(as_text=True)
    module = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert ">zaakceptowany<" in home  # moduł zaakceptowany
    assert ">zaakceptowane<" in module and ">zaakceptowany<" not in module  # zadanie zaakceptowane
    assert "zaakceptowano 1 z 2 modułów" in home and "zaakceptowano 0 z 1 modułu" in home  # levels I and II


def test_the_admin_portfolio_shows_labels_not_raw_values(client, world):  # noqa: F811 (fixture)
    login(client, world["people"]["admin"])
    html = client.get(f"/admin/certification/{world['application'].id}/").get_data(as_text=True)
    assert "Wolontariusze: 3" in html and "wolontariusze: 3" not in html
    assert "czeka na decyzję" in html
    assert not re.search(r">\s*(submitted|accepted|returned)\b", html)
    assert "wniosek złożony" in html and "złożył(a)" not in html
