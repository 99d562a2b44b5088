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
from tests.conftest import login, outbox

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
    pattern = re.compile(r"\w\((a|ka|-a|a\)-a)\)|\w\(-\w{1,3}\)|\w/-?(a|aś|ka)\b")  # konsultanta(-kę) too
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
    assert ">przed rozpoczęciem<" in home and ">nierozpoczęte<" not in home  # a module's state, any gender
    assert ">nierozpoczęte<" in module and ">nierozpoczęty<" not in module  # zadanie nierozpoczęte
    decide(submit(animator, edition, "profil"), trainer)
    home = client.get("/").get_data(as_text=True)
    module = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert ">po akceptacji<" in home  # moduł po akceptacji
    assert ">zaakceptowane<" in module and ">po akceptacji<" not in module  # zadanie zaakceptowane
    assert "zaakceptowano 1 z 2 modułów" in home and "zaakceptowano 0 z 1 modułu" in home  # levels I and II


def test_the_admin_portfolio_shows_labels_not_raw_values(client, world):  # noqa: F811 (fixture)
    login(client, world["people"]["admin"])
    html = client.get(f"/admin/certification/{world['application'].id}/").get_data(as_text=True)
    assert "Wolontariusze: 3" in html and "wolontariusze: 3" not in html
    assert "czeka na decyzję" in html
    assert not re.search(r">\s*(submitted|accepted|returned)\b", html)
    assert "wniosek złożony" in html and "złożył(a)" not in html


ROOT = Path(__file__).parent.parent
# A translated label, then a colon, then a value: "Czekające: 3" instead of "3 prace czekają na ocenę".
LABEL_THEN_VALUE = re.compile(r'_\("[^"]*"\)\s*\}\}\s*:\s*\{\{')
# A message that ends in "…: %(count)s" or writes "(s)": the number should choose the noun's form (ngettext).
COUNT_AFTER_COLON = re.compile(r'(?<!\w)(?:_|_l|gettext)\(\s*"[^"]*:\s*%\((?:count|num|hours|total|number)\)s')
BRACKETED_PLURAL = re.compile(r'(?<!\w)(?:_|_l|gettext)\(\s*"[^"]*\w\(s\)')
# An API error naming parameters (not a count) in English only.
ALLOWED_BRACKETED = {"lms/api/views.py"}


def test_no_template_puts_a_number_after_a_label():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in LABEL_THEN_VALUE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found


def test_no_message_counts_with_a_label_or_a_bracketed_plural():
    sources = [*sorted((ROOT / "templates").rglob("*.html")), *sorted((ROOT / "lms").rglob("*.py"))]
    found = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in COUNT_AFTER_COLON.finditer(text)]
        if str(path.relative_to(ROOT)) not in ALLOWED_BRACKETED:
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in BRACKETED_PLURAL.finditer(text)]
    assert not found


def test_counts_on_the_queue_events_and_digest_read_as_polish_phrases(client, world):  # noqa: F811 (fixture)
    login(client, world["people"]["trainer"])
    queue = client.get("/reviews/").get_data(as_text=True)
    assert "1 praca czeka na ocenę" in queue and "0 prac do poprawy" in queue and "0 prac zaakceptowanych" in queue
    assert "Czekające:" not in queue
    event = client.get(f"/events/{world['event'].id}/").get_data(as_text=True)
    assert "8 godzin dydaktycznych" in event and "godziny dydaktyczne:" not in event
    assert "zajęto 1 z 20 miejsc" in event and "zajęte:" not in event
    subjects = [message.subject for message in outbox(world["people"]["trainer"].email)]
    assert "Akademia CAL: 1 nowa praca do oceny" in subjects


@pytest.mark.parametrize(
    ("hours", "teaching", "missing"),
    [
        (1, "1 godzina dydaktyczna", "Do odbycia została jeszcze 1 godzina szkoleń."),
        (4, "4 godziny dydaktyczne", "Do odbycia zostały jeszcze 4 godziny szkoleń."),
        (12, "12 godzin dydaktycznych", "Do odbycia zostało jeszcze 12 godzin szkoleń."),
        (1.5, "1,5 godziny dydaktycznej", "Do odbycia zostało jeszcze 1,5 godziny szkoleń."),
    ],
)
def test_hours_of_events_agree_with_their_number(app, hours, teaching, missing):
    from lms.events.views import missing_training_hours, teaching_hours

    with app.test_request_context(), force_locale("pl"):
        assert (teaching_hours(hours), missing_training_hours(hours)) == (teaching, missing)


def test_a_modules_states_read_alike_in_one_row_of_the_staff_table(app):
    """Not "zaakceptowany" beside "zadanie przesłane" and "czeka na potwierdzenie": every state of a module is a
    short phrase of the same form, whatever the noun's gender."""
    from lms.i18n import translated
    from lms.learning.progress import MODULE_STATUS_LABELS

    with app.test_request_context(), force_locale("pl"):
        labels = translated(MODULE_STATUS_LABELS)
    assert labels == {
        "not_started": "przed rozpoczęciem",
        "reading": "w trakcie lektury",
        "draft": "w przygotowaniu",
        "awaiting_confirmation": "do potwierdzenia",
        "submitted": "w ocenie",
        "revision_requested": "do poprawy",
        "accepted": "po akceptacji",
    }


# Addressing the reader: Polish writes "Twój", "Twoja", "Cię" with a capital letter, as the rest of the app does.
LOWERCASE_ADDRESS = re.compile(
    r"(?<![^\W\d_])(twój|twoja|twoje|twojego|twojej|twoją|twoim|twoimi|twoich|twojemu|ciebie|tobie|tobą|cię)(?![^\W\d_])"
)


def test_the_reader_is_addressed_with_a_capital_letter():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    found = [
        text
        for message in catalogue
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if text and LOWERCASE_ADDRESS.search(text)
    ]
    found += [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file() and LOWERCASE_ADDRESS.search(path.read_text(encoding="utf-8"))
    ]
    assert not found
