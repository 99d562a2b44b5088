"""The one access policy: may this user do this action to that object?

Every view asks ``require(action, obj)`` (lms/access/checks.py), which judges each object by its rule in
``OBJECT_RULES`` here (the app factory hands them over). Rules by role:

- admin: everything except deciding on or submitting learners' work (only trainers decide).
- coordinator: their own institution (view, edit, invite staff) and the editions it takes part in
  (view, enrol their own staff).
- trainer: the editions they are assigned to and the institutions taking part in them (view), the
  work submitted in those editions (view, review) — except their own institution's work (conflict of
  interest).
- animator: their own institution (view), the editions they are enrolled in (view); their own work
  and their institution's deliverables (view, submit).
- coordinator also: their staff's work (view) and the institution's deliverables (view, submit).
- events of an edition: who sees the edition sees them; its trainers schedule them (create, move,
  cancel) and take attendance (admins too: programme staff run the face-to-face half); coordinators of its
  institutions register and withdraw their own staff (nobody else: an admin has no staff to register).
- trainer absences: a trainer marks and withdraws their own (MARK_ABSENCE); admins anyone's.
- anonymous: only public pages (catalogue, modules), which ask nothing.
- everyone, admins included: an institution deliverable waiting for its coordinator's confirmation is seen
  only by its institution's people; a coordinator of that institution confirms it (COORDINATE on the work).
- everyone, admins included: a draft (a work nobody has submitted yet, or a file not yet part of a
  submitted attempt) is seen only by who may work on it — its learner, or for an institution
  deliverable the staff who may submit it — until it is submitted.

A denied object answers 404 when the person may not even see it (its existence does not leak) and
403 when they may see it but not do this; a denied page answers 403; an anonymous visitor is sent
to sign in.
"""

from flask import g, has_request_context
from sqlalchemy import exists, select

from lms.access.checks import Action
from lms.access.roles import Role
from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.content.spec import Scope
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.events.models import Event, Registration
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.allocation import TrainerAbsence
from lms.learning.models import Attachment, Attempt, Work, WorkStatus
from lms.support.models import IndicatorReport


def _coordinates(user: User, institution_id: int | None) -> bool:
    return institution_id is not None and user.institution_id == institution_id and user.has_role(Role.COORDINATOR)


def _trains_edition(user: User, edition_id: int) -> bool:
    if not user.has_role(Role.TRAINER):
        return False
    # A page often asks twice (may view, may review); one request never changes who trains an edition
    # before asking, so the answer is remembered for the request.
    remembered = g.setdefault("trains_edition", {}) if has_request_context() else {}
    if (user.id, edition_id) not in remembered:
        remembered[(user.id, edition_id)] = bool(
            db.session.scalar(
                select(exists().where(edition_trainer.c.edition_id == edition_id, edition_trainer.c.user_id == user.id))
            )
        )
    return remembered[(user.id, edition_id)]


def _institution_in_edition(institution_id: int | None, edition_id: int) -> bool:
    return institution_id is not None and bool(
        db.session.scalar(
            select(
                exists().where(
                    edition_institution.c.edition_id == edition_id,
                    edition_institution.c.institution_id == institution_id,
                )
            )
        )
    )


def _trains_institution(user: User, institution_id: int) -> bool:
    return user.has_role(Role.TRAINER) and bool(
        db.session.scalar(
            select(
                exists().where(
                    edition_trainer.c.user_id == user.id,
                    edition_institution.c.edition_id == edition_trainer.c.edition_id,
                    edition_institution.c.institution_id == institution_id,
                )
            )
        )
    )


def _can_institution(user: User, action: Action, institution: Institution) -> bool:
    if action is Action.VIEW:
        return user.institution_id == institution.id or _trains_institution(user, institution.id)
    if action in (Action.EDIT, Action.INVITE_STAFF, Action.COORDINATE):
        return _coordinates(user, institution.id)
    if action is Action.SUPPORT:
        return user.institution_id != institution.id and _trains_institution(user, institution.id)
    if action is Action.MONITOR:
        return _coordinates(user, institution.id) or _trains_institution(user, institution.id)
    return False


def _can_edition(user: User, action: Action, edition: Edition) -> bool:
    def coordinates_participant() -> bool:
        return user.has_role(Role.COORDINATOR) and _institution_in_edition(user.institution_id, edition.id)

    if action is Action.VIEW:
        # Cheapest first: whether a trainer trains the edition is remembered for the request (pages ask again).
        return (
            _trains_edition(user, edition.id)
            or coordinates_participant()
            or bool(
                db.session.scalar(
                    select(exists().where(Enrolment.edition_id == edition.id, Enrolment.user_id == user.id))
                )
            )
        )
    if action is Action.ENROL:
        return coordinates_participant()
    if action is Action.SCHEDULE:
        return _trains_edition(user, edition.id)
    return False


def _can_event(user: User, action: Action, event: Event) -> bool:
    """Who sees the edition sees its events; its trainers schedule them and take attendance (admins also take
    it, by the admin rule); coordinators of its institutions register their staff (REGISTER_STAFF)."""
    if action in (Action.EDIT, Action.TAKE_ATTENDANCE):
        return _trains_edition(user, event.edition_id)
    if action is Action.REGISTER_STAFF:
        return _can_edition(user, Action.ENROL, event.edition)
    return _can_edition(user, action, event.edition)


def _can_registration(user: User, action: Action, registration: Registration) -> bool:
    """A coordinator withdraws their own staff's registrations (REGISTER_STAFF); who sees the event sees them."""
    if action is Action.REGISTER_STAFF:
        return _coordinates(user, registration.user.institution_id) and _can_event(user, action, registration.event)
    return action is Action.VIEW and _can_event(user, action, registration.event)


def _can_absence(user: User, action: Action, absence: TrainerAbsence) -> bool:
    """A trainer sees and withdraws only their own absences."""
    return action in (Action.VIEW, Action.MARK_ABSENCE) and absence.user_id == user.id and user.has_role(Role.TRAINER)


def _can_user(user: User, action: Action, person: User) -> bool:
    if action is Action.VIEW:
        return person.id == user.id or _coordinates(user, person.institution_id)
    return person.id == user.id and action is Action.EDIT


def _enrolled(user: User, edition_id: int) -> bool:
    return bool(
        db.session.scalar(select(exists().where(Enrolment.edition_id == edition_id, Enrolment.user_id == user.id)))
    )


def _can_work(user: User, action: Action, work: Work) -> bool:
    own_institution = user.institution_id == work.institution_id
    personal = work.scope is Scope.PERSON
    if action is Action.REVIEW:
        return not own_institution and _trains_edition(user, work.edition_id)
    if action is Action.COORDINATE:  # confirm a deliverable on the institution's behalf
        return not personal and _coordinates(user, work.institution_id)
    if action is Action.SUBMIT:
        if personal:
            return work.learner_id == user.id and _enrolled(user, work.edition_id)
        return own_institution and (
            _enrolled(user, work.edition_id)
            or (
                _coordinates(user, work.institution_id)
                and _institution_in_edition(work.institution_id, work.edition_id)
            )
        )
    if action is Action.VIEW:
        return (
            work.learner_id == user.id
            or (own_institution and not personal)
            or _coordinates(user, work.institution_id)
            or _trains_edition(user, work.edition_id)
        )
    return False


def _is_draft(obj) -> bool:
    """A work with no submitted attempt, or a file attached to a draft (not yet to an attempt)."""
    if isinstance(obj, Work):
        return obj.attempt_count == 0
    return isinstance(obj, Attachment) and obj.attempt_id is None


def _sees_draft(user: User, work: Work) -> bool:
    """Drafts are private: their learner's own, or their institution's for the staff who may submit them."""
    if work.scope is Scope.PERSON:
        return work.learner_id == user.id
    return _can_work(user, Action.SUBMIT, work)


def _can_report(user: User, action: Action, report: IndicatorReport) -> bool:
    if action is Action.REVIEW:
        return user.institution_id != report.institution_id and _trains_institution(user, report.institution_id)
    if action is Action.VIEW:
        return user.institution_id == report.institution_id or _trains_institution(user, report.institution_id)
    return False


def _can_certificate(user: User, action: Action, certificate: Certificate) -> bool:
    if action is not Action.VIEW:
        return False  # revoking is for admins only
    return certificate.holder_id == user.id or _coordinates(user, certificate.institution_id)


OBJECT_RULES = {
    Institution: _can_institution,
    Edition: _can_edition,
    User: _can_user,
    Work: _can_work,
    Attempt: lambda user, action, attempt: _can_work(user, action, attempt.work),
    Attachment: lambda user, action, attachment: _can_work(user, action, attachment.work),
    IndicatorReport: _can_report,
    Certificate: _can_certificate,
    Event: _can_event,
    Registration: _can_registration,
    TrainerAbsence: _can_absence,
}


def private_verdict(user: User, action: Action, obj) -> bool | None:
    """Drafts are their author's own until submitted, and a deliverable waiting for its coordinator's
    confirmation is its institution's own, admins included (None: the usual rules decide)."""
    if action is Action.VIEW and _is_draft(obj):
        return _sees_draft(user, obj if isinstance(obj, Work) else obj.work)
    if action in (Action.VIEW, Action.REVIEW) and isinstance(obj, Work | Attempt | Attachment):
        work = obj if isinstance(obj, Work) else obj.work
        if work.status is WorkStatus.AWAITING_CONFIRMATION:
            return action is Action.VIEW and user.institution_id == work.institution_id
    return None
