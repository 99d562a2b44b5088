"""The one access policy: may this user do this action to that object?

Every view asks ``require(action, obj)``. Rules by role:

- admin: everything.
- coordinator: their own institution (view, edit, invite staff) and the editions it takes part in
  (view, enrol their own staff).
- trainer: the editions they are assigned to and the institutions taking part in them (view).
- animator: their own institution (view), the editions they are enrolled in (view).
- anonymous: only public pages (catalogue, modules), which ask nothing.

A denied object answers 404 (its existence does not leak); a denied page 403; an anonymous
visitor is sent to sign in.
"""

import enum

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from lms.accounts.models import Role, User
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.extensions import db, login_manager
from lms.institutions.models import Institution


class Action(enum.StrEnum):
    ADMIN_AREA = "admin_area"  # lists of people, institutions and editions
    INVITE_STAFF = "invite_staff"  # invite animators of an institution
    VIEW = "view"
    EDIT = "edit"
    ENROL = "enrol"  # enrol animators into an edition


def _is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def _coordinates(user: User, institution_id: int | None) -> bool:
    return institution_id is not None and user.institution_id == institution_id and user.has_role(Role.COORDINATOR)


def _trains_edition(user: User, edition_id: int) -> bool:
    return user.has_role(Role.TRAINER) and bool(
        db.session.scalar(
            select(exists().where(edition_trainer.c.edition_id == edition_id, edition_trainer.c.user_id == user.id))
        )
    )


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
    if action in (Action.EDIT, Action.INVITE_STAFF):
        return _coordinates(user, institution.id)
    return False


def _can_edition(user: User, action: Action, edition: Edition) -> bool:
    coordinates_participant = user.has_role(Role.COORDINATOR) and _institution_in_edition(
        user.institution_id, edition.id
    )
    if action is Action.VIEW:
        enrolled = db.session.scalar(
            select(exists().where(Enrolment.edition_id == edition.id, Enrolment.user_id == user.id))
        )
        return bool(enrolled) or coordinates_participant or _trains_edition(user, edition.id)
    if action is Action.ENROL:
        return coordinates_participant
    return False


def _can_user(user: User, action: Action, person: User) -> bool:
    if action is Action.VIEW:
        return person.id == user.id or _coordinates(user, person.institution_id)
    return person.id == user.id and action is Action.EDIT


_OBJECT_RULES = {Institution: _can_institution, Edition: _can_edition, User: _can_user}


def can(user, action: Action, obj=None) -> bool:
    """Answer the policy question for ``user`` (possibly anonymous)."""
    if user is None or not user.is_authenticated:
        return False
    if _is_admin(user):
        return True
    if obj is None:
        return False  # page-level actions without an object are the admin area
    rule = _OBJECT_RULES.get(type(obj))
    return bool(rule and rule(user, action, obj))


def require(action: Action, obj=None) -> None:
    """Stop the request unless the current user may do ``action`` to ``obj``."""
    if can(current_user, action, obj):
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(404 if obj is not None else 403)


def require_signed_in() -> None:
    """Pages for any signed-in person (their own dashboard, profile)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def get_or_404(model, object_id: int, action: Action = Action.VIEW):
    """Load ``model`` by id and check ``action`` on it: unknown and forbidden look the same (404)."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    require(action, obj)
    return obj
