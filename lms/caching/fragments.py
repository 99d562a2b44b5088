"""Rendered page fragments kept in this process, keyed by what they show and the data revision.

A fragment's key names the page, whatever the fragment depends on (an institution, the viewer's
reach, filters), the locale, the day (for "valid until" and "overdue") and the revision of its data
(``revisions``). Nothing is ever invalidated: a change makes a new revision and so a new key, and
the least recently used fragments are dropped. Each process (gunicorn worker) keeps its own, which
is correct because the revision is read from the database on every request.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

from flask import request
from flask_babel import get_locale
from markupsafe import Markup

MAX_FRAGMENTS = 256
T = TypeVar("T")

_fragments: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def _full_key(key: tuple) -> tuple:
    return (*key, str(get_locale()), date.today())


def query_key() -> tuple:
    """The request's query string (filters, page) in a stable order, for a fragment's key."""
    return tuple(sorted(request.args.items(multi=True)))


def find(key: tuple):
    """What was kept under ``key`` (with the locale and today's date), or None."""
    full_key = _full_key(key)
    with _lock:
        if full_key in _fragments:
            _fragments.move_to_end(full_key)
            return _fragments[full_key]
    return None


def keep(key: tuple, fragment: T) -> T:
    """Keep ``fragment`` (rendered HTML, ``Markup``, or an immutable tuple of it) under ``key``."""
    with _lock:
        _fragments[_full_key(key)] = fragment
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return fragment


def cached_render(key: tuple, render: Callable[[], T]) -> T:
    """What ``render`` returned for ``key``, rendering and keeping it when missing."""
    found = find(key)
    return found if found is not None else keep(key, render())


def cached_fragment(key: tuple, render: Callable[[], str]) -> Markup:
    """The HTML ``render`` returned for ``key`` (see ``cached_render``)."""
    return cached_render(key, lambda: Markup(render()))


def clear() -> None:
    """Forget every fragment (for benchmarks that time the computation itself)."""
    with _lock:
        _fragments.clear()
