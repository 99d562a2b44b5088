"""Loading the signed-in person from the session cookie."""

from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.extensions import db, login_manager
from lms.notifications.services import unread_count_of

login_manager.login_message = _l("Please sign in to open this page.")


def load_user(session_id: str) -> User | None:
    """``id.version``: a session from before a password change (older version) is refused."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    row = db.session.execute(_signed_in_person(), {"user_id": int(user_id)}).first()
    if row is None or row[0].session_version != int(version) or not row[0].active:
        return None
    user, user.unread_notifications = row
    return user


@cache
def _signed_in_person():
    """The person, their roles and the navigation's unread count in one statement. It runs on every
    signed-in request, so it is built once (building it cost more than running it)."""
    return (
        select(User, unread_count_of(User.id))
        .where(User.id == bindparam("user_id"))
        .options(joinedload(User.role_links))
    )
