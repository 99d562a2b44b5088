"""Loading the signed-in person from the session cookie."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.extensions import db, login_manager

login_manager.login_message = _l("Please sign in to open this page.")


def load_user(session_id: str) -> User | None:
    """``id.version``: a session from before a password change (older version) is refused."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # The person and their roles in one query: this runs on every signed-in request.
    user = db.session.get(User, int(user_id), options=[joinedload(User.role_links)])
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
