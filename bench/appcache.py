"""Emptying the app's page caches, whatever the app has, for timing and counting the computed path.

Two kinds may exist: the per-process fragment cache (``lms.caching.fragments``, being removed) and
Flask-Caching (``app.extensions["cache"]``: the programme report, its CSV exports, the registry).
``clear_page_caches`` empties those present and names them; it needs neither. ``cache_config`` is the
other way: config that makes Flask-Caching a no-op from the start (``--cache-type NullCache``).
"""

import importlib


def clear_page_caches(app) -> list[str]:
    """Empty every page cache the app has; return their names (empty: nothing was cached)."""
    cleared = []
    try:
        fragments = importlib.import_module("lms.caching.fragments")
    except ImportError:
        fragments = None
    if fragments is not None and hasattr(fragments, "clear"):
        fragments.clear()
        cleared.append("lms.caching.fragments")
    for cache in app.extensions.get("cache", {}).values():  # Flask-Caching: {Cache: backend}
        cache.clear()
        cleared.append(f"Flask-Caching {type(cache).__name__}")
    return cleared


def cache_config(cache_type: str | None) -> dict:
    """Config overrides for ``--cache-type`` (None: the app as shipped)."""
    return {"CACHE_TYPE": cache_type} if cache_type else {}
