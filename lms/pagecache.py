"""Short-lived copies of the few pages that are costly to compute and read by many people.

Only three things are cached: the programme report, its CSV files and the public registry
(``REPORT``, ``REPORT_CSV``, ``REGISTRY``). Each copy lives at most ``LIFETIME`` seconds and the page
says when it was computed ("stan na 10:42"). A decision that makes a copy wrong clears its group
explicitly: an award or a revocation clears the registry. Keys are built only from validated filters,
so no query string can push other entries out.

The store is Flask-Caching's: a ``SimpleCache`` in each process by default, the shared Redis when
``LMS_CACHE_URL`` is set (several servers then share one copy, and one clearing clears it for all).
"""

import secrets
from datetime import datetime
from typing import NamedTuple

from flask_babel import get_locale

from lms.content.models import utcnow
from lms.extensions import cache

LIFETIME = 300  # seconds; the bound for any page copy
REPORT, REPORT_CSV, REGISTRY = "report", "report-csv", "registry"


class CachedPage(NamedTuple):
    body: str
    computed_at: datetime


def _generation(group: str) -> str:
    """The group's current generation: clearing a group starts a new one, so old keys are never read."""
    generation = cache.get(f"{group}:generation")
    if generation is None:
        generation = secrets.token_hex(8)
        cache.add(f"{group}:generation", generation, timeout=0)  # another process may have set it first
        generation = cache.get(f"{group}:generation") or generation
    return generation


def cached_page(group: str, key: tuple, compute) -> CachedPage:
    """The copy of ``group``'s page for ``key`` (validated filters, who may see it), or ``compute()``'s
    result, kept for ``LIFETIME`` seconds. The key includes the language."""
    full_key = f"{group}:{_generation(group)}:{get_locale()!s}:{key!r}"
    page = cache.get(full_key)
    if page is None:
        page = CachedPage(compute(), utcnow())
        cache.set(full_key, page, timeout=LIFETIME)
    return page


def clear(group: str) -> None:
    """Forget every copy of ``group``'s page (in every process, when the store is shared)."""
    cache.set(f"{group}:generation", secrets.token_hex(8), timeout=0)
