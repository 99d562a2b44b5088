"""The issuer: an Open Badges ``Profile`` of the programme's organiser (``certificates.issuer`` in programme.yaml)."""

from flask import current_app

from lms.content.models import Programme
from lms.urls import absolute_url, path_for


def issuer_url(programme_slug: str) -> str:
    """The issuer's id: the stable address where its Profile is published."""
    return absolute_url(path_for("credentials.issuer", issuer=programme_slug))


def issuer_profile(programme: Programme) -> dict:
    """The organiser as an OB 3.0 Profile: id, name, URL and e-mail."""
    organiser = programme.issuer
    profile = {
        "id": issuer_url(programme.slug),
        "type": ["Profile"],
        "name": organiser["name"],
        "url": organiser.get("url") or current_app.config["PUBLIC_URL"],
    }
    if organiser.get("email"):
        profile["email"] = organiser["email"]
    return profile
