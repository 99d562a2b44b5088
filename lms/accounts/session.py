"""Signed-in browsers: starting and ending sign-ins, and loading the person from the session cookie."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import SignIn, User
from lms.content.models import utcnow
from lms.extensions import db, login_manager
from lms.ids import id_arg
from lms.notifications.services import unread_count_of

login_manager.login_message = _l("Please sign in to open this page.")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def sign_in_lifetime() -> timedelta:
    """How long a sign-in lasts at most: as long as the longer of the session and remember cookies."""
    config = current_app.config
    return max(config["REMEMBER_COOKIE_DURATION"], config["PERMANENT_SESSION_LIFETIME"])


def start_sign_in(user: User) -> None:
    """Record a new signed-in browser for ``user`` (and forget their expired ones); the caller commits."""
    user.sign_in_secret = secrets.token_urlsafe(24)
    db.session.execute(
        delete(SignIn).where(SignIn.user_id == user.id, SignIn.created_at < utcnow() - sign_in_lifetime())
    )
    db.session.add(SignIn(user_id=user.id, secret_hash=_hash(user.sign_in_secret)))


def end_sign_in(user: User) -> None:
    """Sign out the browser of this request: its cookies, wherever copied, stop working; the caller commits."""
    db.session.execute(delete(SignIn).where(SignIn.secret_hash == _hash(user.sign_in_secret)))


def end_all_sign_ins(user: User) -> None:
    """Sign ``user`` out on every browser; the caller commits."""
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id))


def load_user(session_id: str) -> User | None:
    """``id.secret`` from the session or remember cookie: the person, while that sign-in exists."""
    user_id, _, secret = session_id.partition(".")
    if id_arg(user_id) is None or not secret:
        return None
    parameters = {"user_id": id_arg(user_id), "secret_hash": _hash(secret), "since": utcnow() - sign_in_lifetime()}
    row = db.session.execute(_signed_in_person(), parameters).first()
    if row is None or not row[0].active:
        return None
    user, user.unread_notifications = row
    user.sign_in_secret = secret
    return user


@cache
def _signed_in_person():
    """The person of a sign-in, their roles and the navigation's unread count in one statement. It runs on
    every signed-in request, so it is built once (building it cost more than running it)."""
    return (
        select(User, unread_count_of(User.id))
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            User.id == bindparam("user_id"),
            SignIn.secret_hash == bindparam("secret_hash"),
            SignIn.created_at > bindparam("since"),
        )
        .options(joinedload(User.role_links))
    )
