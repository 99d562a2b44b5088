"""Editions: saving them, enrolling animators, and who sees which edition."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from lms.accounts.models import Role, User, UserRole
from lms.audit.services import record
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.extensions import db
from lms.forms import date_range_error
from lms.institutions.models import Institution, Voivodeship


class EnrolmentError(ValueError):
    """An enrolment that the rules forbid; the message is for the user."""


class EditionError(ValueError):
    """Edition dates the rules forbid; the message is for the user, shown by the form's ``field``."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _check_dates(starts_on: date, ends_on: date) -> None:
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        message = date_range_error(day)
        if message:
            raise EditionError(message, field)
    if ends_on < starts_on:
        raise EditionError(_("The end date cannot be before the start date."), "ends_on")


def _check_trainers_are_not_learners(edition: Edition | None, trainer_ids: list[int]) -> None:
    """A trainer judges the edition's work, so nobody enrolled in it may become its trainer (``enrol`` refuses
    the reverse)."""
    if edition is None or not trainer_ids:
        return
    names = db.session.scalars(
        select(User.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.edition_id == edition.id, User.id.in_(trainer_ids))
        .order_by(User.name)
    ).all()
    if names:
        raise EditionError(
            _("Enrolled in this edition, so they cannot also be its trainers: %(names)s.", names=", ".join(names)),
            "trainers",
        )


def save_edition(edition: Edition | None, data: dict, actor: User) -> Edition:
    """Create or update an edition with its trainers and institutions; audited; the caller commits."""
    _check_dates(data["starts_on"], data["ends_on"])
    _check_trainers_are_not_learners(edition, data["trainers"] or [])
    creating = edition is None
    edition = edition or Edition()
    edition.name = data["name"].strip()
    edition.programme = db.session.get(Programme, data["programme"])
    edition.voivodeship = Voivodeship(data["voivodeship"])
    edition.starts_on = data["starts_on"]
    edition.ends_on = data["ends_on"]
    edition.trainers = list(db.session.scalars(select(User).where(User.id.in_(data["trainers"] or []))))
    edition.institutions = list(
        db.session.scalars(select(Institution).where(Institution.id.in_(data["institutions"] or [])))
    )
    db.session.add(edition)
    record(actor, "edition.created" if creating else "edition.updated", edition, name=edition.name)
    return edition


def trainer_choices() -> list[User]:
    """Everyone holding the trainer role."""
    return db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.TRAINER).order_by(User.name)
    ).all()


def visible_editions(user: User, is_admin: bool):
    """A select of the editions ``user`` may see, newest first."""
    statement = select(Edition).order_by(Edition.starts_on.desc(), Edition.id.desc())
    if is_admin:
        return statement
    conditions = [
        Edition.id.in_(select(Enrolment.edition_id).where(Enrolment.user_id == user.id)),
        Edition.id.in_(select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == user.id)),
    ]
    if user.has_role(Role.COORDINATOR) and user.institution_id:
        conditions.append(
            Edition.id.in_(
                select(edition_institution.c.edition_id).where(
                    edition_institution.c.institution_id == user.institution_id
                )
            )
        )
    return statement.where(or_(*conditions))


def enrolled_people(edition: Edition, institution_id: int | None = None, user_id: int | None = None) -> list[Enrolment]:
    """Enrolments with their people (optionally of one institution or one person), by name."""
    statement = (
        select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.edition_id == edition.id)
        .order_by(User.name)
    )
    if institution_id is not None:
        statement = statement.where(User.institution_id == institution_id)
    if user_id is not None:
        statement = statement.where(Enrolment.user_id == user_id)
    return db.session.scalars(statement.options(contains_eager(Enrolment.user))).all()


def enrollable_people(edition: Edition, institution_ids: list[int]) -> list[User]:
    """People who may become learners of the edition: active animators of ``institution_ids`` (taking part in
    it), not yet enrolled and not its trainers. Only the animator role makes a learner: a coordinator or a
    trainer on the institution's staff is listed only if they also hold it, and a trainer of this edition never
    is, as they would review their own work."""
    participating = {i.id for i in edition.institutions}
    allowed = [i for i in institution_ids if i in participating]
    if not allowed:
        return []
    already = select(Enrolment.user_id).where(Enrolment.edition_id == edition.id)
    own_trainers = select(edition_trainer.c.user_id).where(edition_trainer.c.edition_id == edition.id)
    animators = select(UserRole.user_id).where(UserRole.role == Role.ANIMATOR)
    return db.session.scalars(
        select(User)
        .where(
            User.institution_id.in_(allowed),
            User.active.is_(True),
            User.id.in_(animators),
            User.id.not_in(already),
            User.id.not_in(own_trainers),
        )
        .order_by(User.name)
    ).all()


def enrol(edition: Edition, people: list[User], actor: User, allowed_institution_ids: list[int]) -> int:
    """Enrol animators of the allowed institutions (``enrollable_people`` decides who); returns how many; the
    caller commits. Anyone else is refused, whatever the form sent."""
    candidates = {user.id: user for user in enrollable_people(edition, allowed_institution_ids)}
    for person in people:
        if person.id not in candidates:
            raise EnrolmentError(_("%(name)s cannot be enrolled in this edition.", name=person.name))
    for person in people:
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=actor.id))
        record(actor, "edition.enrolled", edition, user_id=person.id)
    return len(people)


def editions_of(institution: Institution) -> list[Edition]:
    """Editions the institution takes part in, newest first."""
    return db.session.scalars(
        select(Edition)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution.id)
        .order_by(Edition.starts_on.desc())
    ).all()
