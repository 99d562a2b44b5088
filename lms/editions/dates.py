"""The dates an edition's things may take, and since when an institution has taken part in a programme.

One rule for due dates, events and Level II records alike: what belongs to an edition falls within its dates,
and what an institution did in a programme happened no earlier than the start of its first edition of it.
"""

from datetime import date

from flask_babel import format_date
from sqlalchemy import func, select

from lms.editions.models import Edition, edition_institution
from lms.extensions import db


def within_edition(edition: Edition, first: date, last: date | None = None) -> bool:
    """Whether the days from ``first`` to ``last`` (or ``first`` alone) fall within the edition's dates."""
    return edition.starts_on <= first and (last or first) <= edition.ends_on


def edition_dates(edition: Edition) -> dict[str, str]:
    """The edition's first and last day as a message names them (``start``, ``end``)."""
    return {"start": format_date(edition.starts_on, "long"), "end": format_date(edition.ends_on, "long")}


def joined_on(institution_id: int, programme_id: int) -> date | None:
    """When the institution began the programme: the start of its earliest edition of it (None: it has none)."""
    return db.session.scalar(
        select(func.min(Edition.starts_on))
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution_id, Edition.programme_id == programme_id)
    )
