"""Short-lived copies of the few pages that are costly to compute and read by many people.

Only three things are cached: the programme report, its CSV files and the public registry
(``REPORT``, ``REPORT_CSV``, ``REGISTRY``). Each copy lives at most ``LIFETIME`` seconds and the page
says when it was computed ("Stan na 10:42"). A decision that makes a copy wrong clears its group
explicitly: an award or a revocation clears the registry.

No query string can push a copy out. Keys are built only from validated filters, a page that does
not exist is never stored, and the public registry has a store of its own, which the staff's report
filters (dates are many) cannot fill.

The stores are Flask-Caching's: a ``SimpleCache`` in each process by default, the shared Redis when
``LMS_CACHE_URL`` is set (several servers then share one copy, and one clearing clears it for all).
"""

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from flask import Flask
from flask_babel import get_locale
from flask_caching import Cache

from lms.base import utcnow

LIFETIME = 300  # seconds
REPORT, REPORT_CSV, REGISTRY = "report", "report-csv", "registry"
FIGURES = "figures"  # the public "… w liczbach" pages and their CSV files

_staff_store, _public_store = Cache(), Cache()
_STORES = {REPORT: _staff_store, REPORT_CSV: _staff_store, REGISTRY: _public_store, FIGURES: _public_store}


def init_app(app: Flask) -> None:
    for name, store in (("staff", _staff_store), ("public", _public_store)):
        prefix = app.config.get("CACHE_KEY_PREFIX", "")
        store.init_app(app, config={**app.config, "CACHE_KEY_PREFIX": f"{prefix}{name}:"})


class CachedPage(NamedTuple):
    body: str
    computed_at: datetime


def _generation(group: str) -> str:
    """The group's current generation: clearing a group starts a new one, so older copies are never read."""
    store = _STORES[group]
    generation = store.get(f"{group}:generation")
    if generation is None:
        store.add(f"{group}:generation", secrets.token_hex(8), timeout=LIFETIME * 12)  # unless another was first
        generation = store.get(f"{group}:generation")
    return generation


def cached_page(group: str, key: tuple, compute: Callable[[], str | None]) -> CachedPage | None:
    """The copy of ``group``'s page for ``key`` (validated filters, who may see it), or what ``compute()``
    returns, kept for ``LIFETIME`` seconds; None (nothing kept) when ``compute()`` finds no such page.
    The key includes the language."""
    store = _STORES[group]
    full_key = f"{group}:{_generation(group)}:{get_locale()!s}:{key!r}"
    page = store.get(full_key)
    if page is None:
        body = compute()
        if body is None:
            return None
        page = CachedPage(body, utcnow())
        store.set(full_key, page, timeout=LIFETIME)
    return page


def clear(group: str) -> None:
    """Forget every copy of ``group``'s page (in every process, when the store is shared)."""
    _STORES[group].set(f"{group}:generation", secrets.token_hex(8), timeout=LIFETIME * 12)


def clear_all() -> None:
    """Forget every copy (tests, benchmarks timing the computation)."""
    for store in (_staff_store, _public_store):
        store.clear()
