"""Static URLs carry a fingerprint of the file (``?v=…``), so the proxy may let browsers cache them for a year.

A changed file gets a new URL on the next deployment; an unchanged one keeps its cached copy.
"""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask

_ENDPOINTS = ("static", "bootstrap.static")


@cache
def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None  # a missing file: its URL answers 404 anyway


def register(app: Flask) -> None:
    """Add ``v=<fingerprint>`` to every url_for of a static file."""
    folders = {"static": app.static_folder}

    def add_version(endpoint: str, values: dict) -> None:
        if endpoint not in _ENDPOINTS or "v" in values or "filename" not in values:
            return
        if endpoint not in folders:
            blueprint = app.blueprints.get(endpoint.split(".")[0])
            folders[endpoint] = blueprint.static_folder if blueprint else None
        folder = folders[endpoint]
        if folder:
            version = _fingerprint(Path(folder) / values["filename"])
            if version:
                values["v"] = version

    app.url_defaults(add_version)
