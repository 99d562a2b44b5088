"""The coordinator's confirmation of institution deliverables: "potwierdzam w imieniu instytucji".

An institution deliverable speaks for the whole institution, so a member of staff cannot hand it to the
trainers alone. Submitted by staff, an attempt waits (``AWAITING_CONFIRMATION``): no trainer sees it, it
is in no queue, nobody is allocated to it. When a coordinator of that institution confirms it, it becomes
an ordinary submitted attempt: the trainers are told and one is allocated, as on any submission. A
coordinator's own submission is their confirmation. Each confirmation is audited.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.accounts.services import coordinators_of
from lms.audit.services import record
from lms.base import utcnow
from lms.content.spec import Scope
from lms.extensions import db
from lms.learning import allocation, no_coordinator
from lms.learning.models import Attempt, Work, WorkStatus
from lms.learning.notices import attempt_arrived
from lms.notifications.services import notify
from lms.urls import path_for


class ConfirmationError(ValueError):
    """A confirmation the rules refuse; the message is for the coordinator."""


def needs_confirmation(work: Work, submitter: User) -> bool:
    """Whether an attempt of ``work`` by ``submitter`` must wait for a coordinator: an institution
    deliverable submitted by someone who does not coordinate that institution."""
    return work.scope is Scope.INSTITUTION and not coordinates(submitter, work.institution_id)


def coordinates(user: User, institution_id: int) -> bool:
    return user.institution_id == institution_id and user.has_role(Role.COORDINATOR)


def hold_for_confirmation(work: Work, attempt: Attempt) -> None:
    """Called by ``submit`` instead of handing the attempt to the trainers: tell the coordinators (the programme
    staff when the institution has none)."""
    work.status = WorkStatus.AWAITING_CONFIRMATION
    link = path_for("learning.work", edition_id=work.edition_id, assignment_id=work.assignment_id)
    with force_locale("pl"):
        message = _(
            "%(name)s submitted the institution's deliverable “%(title)s”: confirm it on the institution's "
            "behalf so that the trainers can assess it.",
            name=attempt.submitted_by.name,
            title=attempt.assignment_version.title,
        )
    coordinators = coordinators_of(work.institution_id)
    for coordinator in coordinators:
        notify(coordinator.id, message, link)
    if not coordinators:  # nobody can confirm it: the programme staff must appoint a coordinator
        no_coordinator.tell_programme_staff(work, attempt)


def confirm(work: Work, coordinator: User) -> Attempt:
    """The coordinator confirms the waiting attempt on the institution's behalf; the caller commits."""
    if not coordinates(coordinator, work.institution_id) or work.scope is not Scope.INSTITUTION:
        raise ConfirmationError(_("Only a coordinator of this institution can confirm its deliverables."))
    if work.status is not WorkStatus.AWAITING_CONFIRMATION:
        raise ConfirmationError(_("This deliverable is not waiting for a confirmation."))
    attempt = db.session.scalar(select(Attempt).where(Attempt.work_id == work.id, Attempt.number == work.attempt_count))
    mark_confirmed(attempt, coordinator)
    work.status = WorkStatus.SUBMITTED
    work.last_submitted_at = attempt.confirmed_at  # the trainers' waiting (and its reminders) starts now
    record(coordinator, "attempt.confirmed", attempt, work_id=work.id, number=attempt.number)
    attempt_arrived(attempt)
    allocation.work_submitted(work)
    return attempt


def mark_confirmed(attempt: Attempt, coordinator: User) -> None:
    attempt.confirmed_by_id = coordinator.id
    attempt.confirmed_at = utcnow()
