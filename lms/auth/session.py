"""Loading the signed-in person from the session or remember cookie (lms/accounts/signins.py keeps the sign-ins)."""

from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import SignIn, User
from lms.accounts.signins import secret_hash, sign_in_lifetime
from lms.base import utcnow
from lms.extensions import db, login_manager
from lms.ids import id_arg
from lms.notifications.services import unread_count_of
from lms.privacy.services import notice_seen_of

login_manager.login_message = _l("Please sign in to open this page.")


def load_user(session_id: str) -> User | None:
    """``id.secret`` from the session or remember cookie: the person, while that sign-in exists."""
    user_id, _, secret = session_id.partition(".")
    if id_arg(user_id) is None or not secret:
        return None
    parameters = {
        "user_id": id_arg(user_id),
        "secret_hash": secret_hash(secret),
        "since": utcnow() - sign_in_lifetime(),
    }
    row = db.session.execute(_signed_in_person(), parameters).first()
    if row is None or not row[0].active:
        return None
    user, user.unread_notifications, user.privacy_notice_seen = row
    user.sign_in_secret = secret
    return user


@cache
def _signed_in_person():
    """The person of a sign-in, their roles, the navigation's unread count and whether they closed the privacy
    notice, in one statement. It runs on every signed-in request, so it is built once (building it cost more
    than running it)."""
    return (
        select(User, unread_count_of(User.id), notice_seen_of(User.id))
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            User.id == bindparam("user_id"),
            SignIn.secret_hash == bindparam("secret_hash"),
            SignIn.created_at > bindparam("since"),
        )
        .options(joinedload(User.role_links))
    )
