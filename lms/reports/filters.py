"""What a programme report may be narrowed to, and by whom: the filters and the viewer's choices."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User
from lms.content.models import Programme
from lms.editions.models import Edition, edition_trainer
from lms.extensions import db
from lms.institutions.labels import VOIVODESHIP_LABELS
from lms.institutions.models import Voivodeship


@dataclass(frozen=True)
class ReportFilters:
    """What the report is narrowed to; ``None`` means no restriction."""

    programme_id: int | None = None
    edition_id: int | None = None
    voivodeship: Voivodeship | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class FilterChoices:
    """What the viewer may filter by: the programmes and editions they see, every voivodeship."""

    programmes: list[Programme]
    editions: list[Edition]
    voivodeships: dict[Voivodeship, str] = field(default_factory=lambda: dict(VOIVODESHIP_LABELS))


def _restricted(statement, viewer: User):
    """Editions the viewer may report on: all for admins, their own for trainers."""
    if viewer.has_role(Role.ADMIN):
        return statement
    trained = select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == viewer.id)
    return statement.where(Edition.id.in_(trained))


def filter_choices(viewer: User) -> FilterChoices:
    """The filter form's options in two queries (editions with their programmes, then programmes)."""
    editions = db.session.scalars(
        _restricted(select(Edition), viewer)
        .options(joinedload(Edition.programme))
        .order_by(Edition.starts_on.desc(), Edition.name, Edition.id)
    ).all()
    if viewer.has_role(Role.ADMIN):
        programmes = db.session.scalars(select(Programme).order_by(Programme.title)).all()
    else:
        programmes = sorted({e.programme for e in editions}, key=lambda p: p.title)
    return FilterChoices(programmes, editions)
