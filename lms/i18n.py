"""Locale selection: Polish unless the visitor chose another supported language."""

from flask import current_app, has_request_context, session
from flask_babel import format_decimal, get_locale


def select_locale() -> str:
    """The session's chosen language if supported, else the default (Polish)."""
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_hours(hours: float) -> str:
    """Hours as the locale writes them: 16, 1,5 (pl) or 1.5 (en)."""
    return format_decimal(hours, format="#,##0.#")


def register(app) -> None:
    """Template helpers for the current locale."""
    app.add_template_filter(format_hours, "format_hours")
    app.add_template_global(get_locale_code, "current_locale")


def get_locale_code() -> str:
    """The active locale as a language code, e.g. ``pl``."""
    return str(get_locale())
