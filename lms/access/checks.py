"""Asking the access policy: may this user do this action to that object?

Views of every feature ask here (``require``, ``can``, ``get_or_404``); the rules for each kind of object are in
lms/auth/policy.py, above the features whose objects they judge, and the app factory hands them over
(``use_rules``).
"""

import enum
from collections.abc import Callable

from flask import abort
from flask_login import current_user

from lms.access.roles import Role
from lms.extensions import db, login_manager


class Action(enum.StrEnum):
    ADMIN_AREA = "admin_area"  # lists of people, institutions and editions
    INVITE_STAFF = "invite_staff"  # invite animators of an institution
    VIEW = "view"
    EDIT = "edit"
    ENROL = "enrol"  # enrol animators into an edition
    SUBMIT = "submit"  # work on an assignment: drafts, attachments, attempts
    REVIEW = "review"  # decide on an attempt or an indicator report
    SUPPORT = "support"  # Level II: log consultations, propose trainings (trainers of the institution)
    COORDINATE = "coordinate"  # Level II and certification: report, apply, state needs, close actions
    MONITOR = "monitor"  # an institution's dashboard: its coordinator, its trainers, admins
    USE_API = "use_api"  # hold personal API tokens
    SCHEDULE = "schedule"  # create, move and cancel an edition's events (its trainers, admins)
    TAKE_ATTENDANCE = "take_attendance"  # mark who came to an event (its edition's trainers, admins)
    REGISTER_STAFF = "register_staff"  # register and withdraw one's own staff for an event (its coordinators)
    MARK_ABSENCE = "mark_absence"  # trainers mark and withdraw their own absences (admins anyone's)
    READ_AUDIT_LOG = "read_audit_log"  # the audit log: all of it (admins), their institution's (coordinators)


# Even admins do not do these: only learners submit and only trainers decide; only a coordinator has staff of
# their own to register for an event (an admin's account belongs to no participating institution).
_NOT_FOR_ADMINS = {Action.SUBMIT, Action.REVIEW, Action.SUPPORT, Action.COORDINATE, Action.REGISTER_STAFF}


# Page-level actions (no object) that roles other than admin have. API tokens serve the roles whose data
# other systems read (an institution's progress and checklist, an edition's, reports); an animator's own
# work is on the site and needs no token.
_ROLE_ACTIONS = {
    Action.USE_API: (Role.COORDINATOR, Role.TRAINER, Role.ADMIN),
    Action.MARK_ABSENCE: (Role.TRAINER,),
    Action.READ_AUDIT_LOG: (Role.COORDINATOR, Role.ADMIN),  # what a coordinator reads is their institution's
}


def _is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


_object_rules: dict[type, Callable[..., bool]] = {}
_private_rules: list[Callable[..., bool | None]] = []


def use_rules(rules: dict[type, Callable[..., bool]], private: Callable[..., bool | None]) -> None:
    """Judge each model class's objects by its rule in ``rules``, after ``private``, which decides first, for
    admins too, about objects nobody but their owners may see (it answers None for every other object).
    The app factory passes lms/auth/policy.py's."""
    _object_rules.clear()
    _object_rules.update(rules)
    _private_rules[:] = [private]


def can(user, action: Action, obj=None) -> bool:
    """Answer the policy question for ``user`` (possibly anonymous)."""
    if user is None or not user.is_authenticated:
        return False
    for private in _private_rules if obj is not None else ():
        verdict = private(user, action, obj)
        if verdict is not None:
            return verdict
    if _is_admin(user) and action not in _NOT_FOR_ADMINS:
        return True
    if obj is None:  # page-level actions without an object: the admin area, and those of _ROLE_ACTIONS
        return action in _ROLE_ACTIONS and user.has_role(*_ROLE_ACTIONS[action])
    rule = _object_rules.get(type(obj))
    return bool(rule and rule(user, action, obj))


def require(action: Action, obj=None) -> None:
    """Stop the request unless the current user may do ``action`` to ``obj``."""
    if can(current_user, action, obj):
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if obj is None:
        abort(403)
    # Someone who may see the object learns nothing new from a 403; anyone else gets 404.
    visible = action is not Action.VIEW and can(current_user, Action.VIEW, obj)
    abort(403 if visible else 404)


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
