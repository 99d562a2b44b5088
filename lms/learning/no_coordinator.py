"""Institutions without a coordinator: their deliverables wait for a confirmation nobody can give.

An institution deliverable reaches the trainers only once a coordinator of its institution confirms it
(lms/learning/confirmation.py). An institution whose staff take part in an edition but where nobody holds the
coordinator role therefore never gets its deliverables assessed. The staff member who submits one is told so
and whom to ask; the programme staff (admins) are notified, and see such institutions on the institution's
page, the edition's page and the system status page, where they can appoint a coordinator. The coordinator they
appoint is told what is already waiting.
"""

from dataclasses import dataclass

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from lms.accounts.models import Role, User, UserRole
from lms.content.spec import Scope
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.models import Attempt, Work, WorkStatus
from lms.notifications.services import notify
from lms.urls import path_for


@dataclass(frozen=True)
class Uncoordinated:
    """An institution with no active coordinator, and what that holds up."""

    institution: Institution
    enrolled: int  # its active staff enrolled (in the edition asked about, or in any)
    waiting: int  # its deliverables waiting for a confirmation nobody can give


def _has_coordinator(institution_id):
    return exists().where(
        User.institution_id == institution_id,
        User.active,
        UserRole.user_id == User.id,
        UserRole.role == Role.COORDINATOR,
    )


def has_coordinator(institution_id: int | None) -> bool:
    """Whether someone active coordinates the institution (and so can confirm its deliverables)."""
    return institution_id is not None and bool(db.session.scalar(select(_has_coordinator(institution_id))))


def uncoordinated(*, edition_id: int | None = None, institution_id: int | None = None) -> list[Uncoordinated]:
    """Institutions without a coordinator whose staff are enrolled (in ``edition_id``, else in any edition) or
    whose deliverables wait for a confirmation (there); optionally just ``institution_id``. One statement."""
    enrolled = (
        select(User.institution_id.label("institution_id"), func.count(func.distinct(User.id)).label("count"))
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(User.active, User.institution_id.is_not(None))
        .group_by(User.institution_id)
    )
    waiting = (
        select(Work.institution_id.label("institution_id"), func.count(Work.id).label("count"))
        .where(Work.scope == Scope.INSTITUTION, Work.status == WorkStatus.AWAITING_CONFIRMATION)
        .group_by(Work.institution_id)
    )
    if edition_id is not None:
        enrolled = enrolled.where(Enrolment.edition_id == edition_id)
        waiting = waiting.where(Work.edition_id == edition_id)
    enrolled, waiting = enrolled.subquery(), waiting.subquery()
    statement = (
        select(Institution, func.coalesce(enrolled.c.count, 0), func.coalesce(waiting.c.count, 0))
        .outerjoin(enrolled, enrolled.c.institution_id == Institution.id)
        .outerjoin(waiting, waiting.c.institution_id == Institution.id)
        .where(or_(enrolled.c.count > 0, waiting.c.count > 0), ~_has_coordinator(Institution.id))
        .order_by(Institution.name, Institution.id)
    )
    if institution_id is not None:
        statement = statement.where(Institution.id == institution_id)
    return [Uncoordinated(*row) for row in db.session.execute(statement)]


def tell_programme_staff(work: Work, attempt: Attempt) -> None:
    """A deliverable was held for a confirmation nobody can give: tell every active admin, with a link to the
    institution's page, where a coordinator is appointed. The caller commits."""
    admins = db.session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id).where(User.active, UserRole.role == Role.ADMIN)
    ).all()
    with force_locale("pl"):
        message = _(
            "%(institution)s has no coordinator, so nobody can confirm its deliverable “%(title)s” and the "
            "trainers cannot see it. Appoint a coordinator of the institution.",
            institution=work.institution.name,
            title=attempt.assignment_version.title,
        )
    link = path_for("institutions.show", institution_id=work.institution_id)
    for admin_id in admins:
        notify(admin_id, message, link)


def tell_new_coordinator(coordinator: User) -> None:
    """Someone just became a coordinator: tell them of the institution's deliverables already waiting for their
    confirmation (nobody was notified of those when they arrived). The caller commits."""
    waiting = db.session.scalar(
        select(func.count(Work.id)).where(
            Work.institution_id == coordinator.institution_id,
            Work.scope == Scope.INSTITUTION,
            Work.status == WorkStatus.AWAITING_CONFIRMATION,
        )
    )
    if not waiting:
        return
    with force_locale("pl"):
        message = ngettext(
            "You are now a coordinator of %(institution)s: %(num)s deliverable is waiting for your confirmation "
            "on the institution's behalf before the trainers can assess it.",
            "You are now a coordinator of %(institution)s: %(num)s deliverables are waiting for your confirmation "
            "on the institution's behalf before the trainers can assess them.",
            waiting,
            institution=coordinator.institution.name,
        )
    notify(coordinator.id, message, path_for("dashboards.institution", institution_id=coordinator.institution_id))
