"""Sections that higher layers add to the profile page (the API's token list lives above accounts).

A package registers a function ``section(user) -> Markup | None`` on the app with ``add_profile_section``;
the profile page renders the ones that answer something, in registration order.
"""

from collections.abc import Callable

from flask import Flask, current_app
from markupsafe import Markup

from lms.accounts.models import User

ProfileSection = Callable[[User], Markup | None]
_KEY = "profile_sections"


def add_profile_section(app: Flask, section: ProfileSection) -> None:
    """Show what ``section`` renders on every person's profile page."""
    sections = app.extensions.setdefault(_KEY, [])
    if section not in sections:
        sections.append(section)


def profile_sections(user: User) -> list[Markup]:
    """The rendered sections for ``user``'s profile, skipping those with nothing to say."""
    rendered = (section(user) for section in current_app.extensions.get(_KEY, []))
    return [html for html in rendered if html]
