"""Admin rules for people: searching and changing roles."""

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User, UserRole
from lms.accounts.signins import end_all_sign_ins
from lms.audit.services import record
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning import completions, no_coordinator
from lms.twofactor import services as second_factor


class PersonError(ValueError):
    """A change to a person that the rules forbid; the message is for the admin."""


def search_people(query: str = "", role: str = ""):
    """A select of people matching a name/e-mail search and a role, by name."""
    statement = select(User).options(selectinload(User.institution)).order_by(User.name, User.id)
    if query:
        pattern = f"%{query.strip()}%"
        statement = statement.where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    if role in {r.value for r in Role}:
        statement = statement.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(role))))
    return statement


def update_person(person: User, actor: User, name: str, roles: set[Role], institution_id: int, active: bool) -> None:
    """Change a person's name, roles, institution and access; audited; the caller commits."""
    if person.id == actor.id and (Role.ADMIN not in roles or not active):
        raise PersonError(_("You cannot remove your own administrator access."))
    institution = db.session.get(Institution, institution_id) if institution_id else None
    if roles & {Role.ANIMATOR, Role.COORDINATOR} and institution is None:
        raise PersonError(_("Animators and coordinators must belong to an institution."))
    before = sorted(r.value for r in person.roles)
    person.name = name.strip()
    left_institution_id = person.institution_id
    person.institution = institution
    person.active = active
    person.role_links = [link for link in person.role_links if link.role in roles]
    for role in roles:
        person.grant(role)
    if not active:
        end_all_sign_ins(person)
    record(
        actor,
        "user.updated",
        person,
        roles_before=",".join(before),
        roles=",".join(sorted(r.value for r in roles)),
        active=active,
    )
    after = sorted(r.value for r in roles)
    if after != before:  # its own action, so the log's filter finds every change of roles
        record(actor, "user.roles_changed", person, roles_before=",".join(before), roles=",".join(after))
    if person.institution_id != left_institution_id:
        db.session.flush()
        completions.person_moved(db.session, person, left_institution_id)
    if Role.COORDINATOR in roles and Role.COORDINATOR.value not in before and active:
        db.session.flush()
        no_coordinator.tell_new_coordinator(person)


def reset_second_factor(person: User, admin: User) -> bool:
    """Remove the person's authenticator and recovery codes (a lost phone) and sign them out everywhere:
    at their next sign-in they set it up again. Audited; the caller commits. False if there was none."""
    if not second_factor.remove(person.id):
        return False
    end_all_sign_ins(person)
    record(admin, "second_factor.reset", person)
    return True
