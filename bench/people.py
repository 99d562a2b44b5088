"""Signing the key pages' people in, in-process: one signed-in browser (its session id) per person and,
where a page needs one, one API token per person. The caller is in an app context."""

from itertools import chain

from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.signins import start_sign_in
from lms.api.models import ApiToken
from lms.api.services import create_token, revoke_token
from lms.extensions import db


def sessions_and_tokens(rotations: dict, token_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """(session ids, API tokens) by e-mail for everyone the rotations' pages (``{page: [KeyPage, …]}``) name."""
    sessions, tokens = {}, {}
    for page in chain.from_iterable(rotations.values()):
        if page.email is None or (page.email in sessions and (not page.needs_api_token or page.email in tokens)):
            continue
        user = db.session.scalar(select(User).where(User.email == page.email))
        if page.email not in sessions:
            start_sign_in(user)  # a signed-in browser, as the login form records it
            sessions[page.email] = user.get_id()
        if page.needs_api_token and page.email not in tokens:
            # A bench run's token replaces the previous run's: a person may hold only so many.
            for earlier in db.session.scalars(
                select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == token_name)
            ):
                revoke_token(earlier, user)
            tokens[page.email] = create_token(user, token_name)[1]
    db.session.commit()
    return sessions, tokens
