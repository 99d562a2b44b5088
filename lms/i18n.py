"""Locale selection: Polish unless the visitor chose another supported language."""

from collections.abc import Mapping
from datetime import date, datetime

from babel import dates
from flask import current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations, to_user_timezone
from flask_babel import gettext as _

from lms.urls import id_link


def select_locale() -> str:
    """The session's chosen language if supported, else the default (Polish)."""
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_hours(hours: float) -> str:
    """Hours as the locale writes them: 16, 1,5 (pl) or 1.5 (en)."""
    return format_decimal(hours, format="#,##0.#")


def format_number(value, pattern: str = "#,##0.#") -> str:
    """A number as the locale writes it: 1 234,5 (pl) or 1,234.5 (en); anything else unchanged.
    ``pattern`` is Babel's, e.g. ``#,##0.0`` for exactly one decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return format_decimal(value, format=pattern)


def format_month(year_month: str, width: str = "LLLL") -> str:
    """A ``YYYY-MM`` month with its name: "grudzień 2026" (pl), "December 2026" (en); ``LLL`` abbreviates it."""
    try:
        month = date(int(year_month[:4]), int(year_month[5:7]), 1)
    except (TypeError, ValueError):
        return year_month
    return format_date(month, f"{width} y")


def roman(number: int) -> str:
    """A level's number as the programme names its levels: 1 → I, 4 → IV (Poziom I, Poziom II)."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    if not isinstance(number, int) or number < 1:
        return str(number)
    result = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        result += numeral * count
    return result


def level_name(number: int) -> str:
    """A programme level as every page and certificate names it: "Poziom I" (pl), "Level I" (en)."""
    return _("Level %(level)s", level=roman(number))


def _locale_key(locale) -> tuple | None:
    """What the per-locale lookups below are keyed by: the locale's language and territory (its name as text
    costs several calls through Babel), None outside a request or app context."""
    return None if locale is None else (locale.language, locale.territory)


_TRANSLATED: dict[tuple, dict] = {}


def translated(labels: Mapping) -> dict:
    """``labels`` (lazy_gettext strings) in the active locale, translated once per locale and process.

    Catalogues do not change while the process runs; a table of a thousand status cells then costs a
    dictionary lookup per cell instead of a trip through gettext.
    """
    key = (id(labels), _locale_key(get_locale()))
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {name: str(label) for name, label in labels.items()}
    return found


_CATALOGUES: dict[tuple, object] = {}


def catalogue():
    """The active locale's message catalogue, found by the locale's language and territory.

    Flask-Babel finds it anew for every string (domain, context, the locale's name as text); a page translates
    fifty or more, so templates look it up here. Catalogues do not change while the process runs, as with
    ``translated``; ``force_locale`` (an e-mail in its recipient's language) changes the locale, which is read
    every time.
    """
    key = _locale_key(get_locale())
    if key is None:  # outside a request or app context: Flask-Babel's null catalogue
        return get_translations()
    found = _CATALOGUES.get(key)
    if found is None:
        found = _CATALOGUES[key] = get_translations()
    return found


_DATE_PATTERNS: dict[tuple, dates.DateTimePattern] = {}

# How the app writes a day unless a page asks otherwise: the locale's long form, "5 maja 2026" in Polish, the month
# in the genitive as Polish offices write dates in letters and on gov.pl. CLDR's medium form abbreviates the month in
# the nominative ("5 maj 2026", "3 gru 2026"), which reads as a mistake. Pages, e-mails and PDFs all use this form;
# CSV files and the API keep ISO dates.
DAY_FORMAT = "long"


def format_day(value: date | datetime | None = None, format: str | None = None, rebase: bool = True) -> str:
    """Flask-Babel's ``dateformat`` (a date, or a datetime's day where the person is), with the locale's pattern
    looked up once per process: a dashboard formats a dozen dates, each costing a search through Babel's locale
    data. ``format``: short, medium, long (the default, ``DAY_FORMAT``), full, or a Babel pattern."""
    format = format or DAY_FORMAT
    if value is None:
        return format_date(value, format, rebase)
    if isinstance(value, datetime):
        value = (to_user_timezone(value) if rebase else value).date()
    locale = get_locale()
    key = (_locale_key(locale), format)
    pattern = _DATE_PATTERNS.get(key)
    if pattern is None:
        named = format
        is_named = named in ("short", "medium", "long", "full")
        found = dates.get_date_format(named, locale=locale) if is_named else dates.parse_pattern(named)
        pattern = _DATE_PATTERNS[key] = found
    return pattern.apply(value, locale)


def format_moment(value: datetime | None, format: str | None = None) -> str:
    """A moment where the person is, its day written as ``format_day`` writes days, then the time: "3 grudnia 2026,
    14:05" (pl), "December 3, 2026, 14:05" (en). ``format``: a Babel pattern, or none for that form."""
    if value is None:
        return ""
    if format:
        return format_datetime(value, format)
    local = to_user_timezone(value)  # once, for the day and the time
    return f"{format_day(local, rebase=False)}, {local:%H:%M}"


def register(app) -> None:
    """Template helpers for the current locale."""
    app.add_template_filter(format_day, "dateformat")  # the same output as Flask-Babel's, found faster
    app.add_template_filter(format_moment, "datetimeformat")  # days written as dateformat writes them
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: catalogue().ugettext(message),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, message: catalogue().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.add_template_filter(format_hours, "format_hours")
    app.add_template_filter(format_number, "format_number")
    app.add_template_filter(format_month, "format_month")
    app.add_template_filter(roman, "roman")
    app.add_template_global(level_name, "level_name")
    app.add_template_global(get_locale_code, "current_locale")
    app.add_template_global(id_link, "id_link")


def get_locale_code() -> str:
    """The active locale as a language code, e.g. ``pl``."""
    return str(get_locale())
