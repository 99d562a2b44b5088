"""Signed-in browsers: one ``SignIn`` row each, whose secret travels in the session and remember cookies.
Deleting the row signs that browser out, however its cookies were kept or copied."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user
from sqlalchemy import delete

from lms.accounts.models import SignIn, User
from lms.audit.services import record_access
from lms.base import utcnow
from lms.extensions import db


def secret_hash(secret: str) -> str:
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
    db.session.add(SignIn(user_id=user.id, secret_hash=secret_hash(user.sign_in_secret)))
    record_access(user.id, "user.signed_in", "User", user.id)


def record_failed_sign_in(account: User | None) -> None:
    """Log a refused sign-in: on the account whose e-mail was typed, if there is one. Neither the password
    nor the typed e-mail is kept (an unknown address may be someone's mistyped personal one); the caller
    commits."""
    record_access(None, "user.sign_in_failed", "User", account.id if account else None)


def end_sign_in(user: User) -> None:
    """Sign out the browser of this request: its cookies, wherever copied, stop working; the caller commits."""
    db.session.execute(delete(SignIn).where(SignIn.secret_hash == secret_hash(user.sign_in_secret)))


def end_all_sign_ins(user: User) -> None:
    """Sign ``user`` out on every browser; the caller commits."""
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id))


def sign_in_browser(user: User, remember: bool) -> None:
    """Start a sign-in for this browser and put it in its cookies (the password, and any second step, passed)."""
    language = user.language  # read first: ``user`` may be the current_user proxy, which login_user replaces
    start_sign_in(user)
    db.session.commit()
    login_user(user, remember=remember)
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language  # the language chosen on the profile, on every device
