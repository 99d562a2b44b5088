"""Emptying the app's page copies (``lms.pagecache``: the report, its CSV files, the registry), for timing
and counting the computed path; or config that turns Flask-Caching off from the start."""

from lms import pagecache


def clear_page_caches(app) -> list[str]:
    """Forget every page copy; return what was cleared (for the benchmark's output)."""
    with app.app_context():
        pagecache.clear_all()
    return ["lms.pagecache"]


def cache_config(cache_type: str | None) -> dict:
    """Config overrides for ``--cache-type`` (None: the app as shipped)."""
    return {"CACHE_TYPE": cache_type} if cache_type else {}
