"""Locale selection: Polish unless the visitor chose another supported language."""

from collections.abc import Mapping

from flask import current_app, has_request_context, session
from flask_babel import format_decimal, get_locale

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


_TRANSLATED: dict[tuple[int, str], dict] = {}


def translated(labels: Mapping) -> dict:
    """``labels`` (lazy_gettext strings) in the active locale, translated once per locale and process.

    Catalogues do not change while the process runs; a table of a thousand status cells then costs a
    dictionary lookup per cell instead of a trip through gettext.
    """
    key = (id(labels), str(get_locale()))
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {name: str(label) for name, label in labels.items()}
    return found


def register(app) -> None:
    """Template helpers for the current locale."""
    app.add_template_filter(format_hours, "format_hours")
    app.add_template_global(get_locale_code, "current_locale")
    app.add_template_global(id_link, "id_link")


def get_locale_code() -> str:
    """The active locale as a language code, e.g. ``pl``."""
    return str(get_locale())
