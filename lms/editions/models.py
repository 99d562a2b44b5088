"""Editions (cohorts): a programme run in a region and period."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.base import enum_column, utcnow
from lms.content.models import Programme
from lms.extensions import db
from lms.institutions.models import Institution, Voivodeship

edition_trainer = Table(
    "edition_trainer",
    db.metadata,
    Column("edition_id", ForeignKey("edition.id"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True, index=True),
)

edition_institution = Table(
    "edition_institution",
    db.metadata,
    Column("edition_id", ForeignKey("edition.id"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id"), primary_key=True, index=True),
)


class Edition(db.Model):
    """A programme run for a group of institutions in a region and period."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    voivodeship: Mapped[Voivodeship] = mapped_column(enum_column(Voivodeship), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship()
    trainers: Mapped[list[User]] = relationship(secondary=edition_trainer, order_by=User.name)
    institutions: Mapped[list[Institution]] = relationship(secondary=edition_institution, order_by=Institution.name)


class Enrolment(db.Model):
    """An animator enrolled in an edition (by their coordinator or an admin)."""

    __table_args__ = (UniqueConstraint("edition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enrolled_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    edition: Mapped[Edition] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ModuleDeadline(db.Model):
    """When a module's assignments are due in an edition. The programme sources name no deadlines, so each
    edition's trainers (or an admin) set them for its own calendar."""

    __table_args__ = (UniqueConstraint("edition_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"))  # the unique constraint's first column
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    due_on: Mapped[date]
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
