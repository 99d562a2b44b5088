"""An institution's people: who they are and how many."""

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.extensions import db
from lms.institutions.models import Institution


def staff_of(institution: Institution) -> list[User]:
    """The institution's people, by name."""
    return db.session.scalars(select(User).where(User.institution_id == institution.id).order_by(User.name)).all()


def staff_counts(institution_ids: list[int]) -> dict[int, int]:
    """Number of people per institution, in one query."""
    if not institution_ids:
        return {}
    rows = db.session.execute(
        select(User.institution_id, func.count(User.id))
        .where(User.institution_id.in_(institution_ids))
        .group_by(User.institution_id)
    )
    return dict(rows.all())
