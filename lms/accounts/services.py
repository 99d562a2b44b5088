"""Accounts: creating people, signing in, changing and resetting passwords."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from lms.accounts.models import Invitation, Role, User, UserRole
from lms.accounts.passwords import dummy_hash, hash_password, verify_password
from lms.accounts.signins import end_all_sign_ins
from lms.audit.services import record
from lms.base import utcnow
from lms.extensions import db
from lms.i18n import translated
from lms.mail.services import queue_mail
from lms.urls import absolute_url, path_for


class AccountError(ValueError):
    """A rule of the account workflow was broken; the message is for the user."""


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    """True when an account already uses ``email``."""
    return bool(db.session.scalar(select(func.count(User.id)).where(User.email == normalise_email(email))))


def create_user(email: str, name: str, password: str, roles, institution=None, actor=None) -> User:
    """Create an account with ``roles``; the caller commits."""
    if email_taken(email):
        raise AccountError(_("An account with this e-mail address already exists."))
    user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password))
    user.institution = institution
    for role in roles:
        user.grant(role)
    db.session.add(user)
    record(actor or user, "user.created", user, roles=",".join(sorted(r.value for r in roles)))
    return user


def coordinators_of(institution_id: int) -> list[User]:
    """The institution's active coordinators (whom its notices reach)."""
    return db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.institution_id == institution_id, UserRole.role == Role.COORDINATOR, User.active.is_(True))
        .order_by(User.id)
    ).all()


def update_profile(user: User, name: str, language: str | None) -> None:
    """A person's own name and the interface language they chose (None: the site's default); the caller commits."""
    if name.strip() != user.name:
        record(user, "user.renamed", user)
    user.name = name.strip()
    user.language = language or None


def authenticate(email: str, password: str) -> User | None:
    """The active account matching e-mail and password, else None (same timing either way)."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


def set_password(user: User, password: str, actor=None) -> None:
    """Store a new password and end every sign-in and reset link; the caller commits."""
    user.password_hash = hash_password(password)
    end_all_sign_ins(user)
    record(actor or user, "user.password_changed", user)


def sign_out_everywhere(user: User) -> None:
    """End every sign-in of ``user``, this browser's too (e.g. after a lost phone); the caller commits."""
    end_all_sign_ins(user)
    record(user, "user.signed_out_everywhere", user)


# Password reset links: signed, expiring, and bound to the current password hash so that
# they stop working once used (the hash changes) — no table of tokens needed.
def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Mail a reset link if an account exists; say nothing either way (no enumeration)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = _reset_serializer().dumps({"user": user.id, "fp": _password_fingerprint(user)})
    hours = current_app.config["PASSWORD_RESET_VALID_HOURS"]
    link = absolute_url(path_for("accounts.reset_password", token=token))
    queue_mail(
        user.email,
        _("Akademia CAL: set a new password"),
        _(
            "Hello %(name)s,\n\nto set a new password open this link (valid for %(hours)s hours, once):\n%(link)s\n\n"
            "If you did not ask for it, ignore this message; your password stays as it was.",
            name=user.name,
            hours=hours,
            link=link,
        ),
    )
    record(user, "user.password_reset_requested", user)


def user_for_reset_token(token: str) -> User:
    """The account a reset link belongs to; ``AccountError`` saying why a link is refused."""
    max_age = current_app.config["PASSWORD_RESET_VALID_HOURS"] * 3600
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise AccountError(_("This link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise AccountError(_("This link is invalid. Check that you copied all of it.")) from error
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _password_fingerprint(user):
        raise AccountError(_("This link has already been used. Ask for a new one if you need it."))
    return user


# Invitations: random tokens, stored hashed, one use, expiring.
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(actor: User, email: str, role: Role, institution=None) -> Invitation | None:
    """Create an invitation and mail its link; the caller commits.

    For an address that already has an account the answer looks the same (whoever invites must not
    learn who has an account): its owner is told by mail instead, and None is returned.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        _tell_existing_account(actor, existing, role, institution)
        return None
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_VALID_DAYS"]
    invitation = Invitation(
        email=normalise_email(email),
        role=role,
        institution=institution,
        invited_by_id=actor.id,
        token_hash=_token_hash(token),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    link = absolute_url(path_for("accounts.accept_invitation", token=token))
    where = _(" at %(institution)s", institution=institution.name) if institution else ""
    queue_mail(
        invitation.email,
        _("Invitation to Akademia CAL"),
        _(
            "%(inviter)s invites you to Akademia CAL as %(role)s%(where)s.\n\n"
            "To accept, open this link (valid for %(days)s days, once) and set your name and password:\n%(link)s\n",
            inviter=actor.name,
            role=role_label(role),
            where=where,
            days=days,
            link=link,
        ),
    )
    record(actor, "invitation.created", invitation, role=role.value)  # the address stays in the invitation
    return invitation


def _tell_existing_account(actor: User, person: User, role: Role, institution) -> None:
    where = _(" at %(institution)s", institution=institution.name) if institution else ""
    queue_mail(
        person.email,
        _("Invitation to Akademia CAL"),
        _(
            "%(inviter)s invites you to Akademia CAL as %(role)s%(where)s.\n\n"
            "You already have an account with this address. Sign in here:\n%(login)s\n\n"
            "Forgotten your password? Set a new one here:\n%(forgotten)s\n\n"
            "If your role or institution should change, reply to %(inviter)s: an administrator changes them.\n",
            inviter=actor.name,
            role=role_label(role),
            where=where,
            login=absolute_url(path_for("accounts.login")),
            forgotten=absolute_url(path_for("accounts.forgotten_password")),
        ),
    )
    record(actor, "invitation.existing_account_told", person, role=role.value)


def invitation_for_token(token: str) -> Invitation:
    """The open invitation for ``token``; ``AccountError`` saying why it is refused."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None:
        raise AccountError(_("This invitation link is invalid. Check that you copied all of it."))
    if invitation.accepted_at is not None:
        raise AccountError(_("This invitation has already been used. Sign in instead."))
    if invitation.expires_at < utcnow():
        raise AccountError(_("This invitation has expired. Ask the person who invited you for a new one."))
    return invitation


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """Create the invited account; the caller commits. Runs once per invitation."""
    user = create_user(invitation.email, name, password, [invitation.role], institution=invitation.institution)
    invitation.accepted_at = utcnow()
    invitation.accepted_user_id = user.id
    record(user, "invitation.accepted", invitation)
    return user


ROLE_LABELS = {
    Role.ANIMATOR: _l("animator"),
    Role.TRAINER: _l("trainer"),
    Role.COORDINATOR: _l("coordinator"),
    Role.ADMIN: _l("administrator"),
}


def role_label(role: Role) -> str:
    """The role's name in the user's language."""
    return translated(ROLE_LABELS)[role]
