"""The second step of signing in: a code from an authenticator app (or a recovery code), and enrolment.

After the password the browser is not signed in yet: the session only remembers who is half-way
(``PENDING``), for a few minutes. Flask-Login's ``login_user`` runs once the second step passes, so no
page and no policy question ever sees a half-signed-in person.
"""

import time

from flask import Blueprint, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address

from lms.accounts.forms import SecondFactorCodeForm
from lms.accounts.models import User
from lms.accounts.signins import sign_in_browser
from lms.audit.services import record_access
from lms.extensions import db, limiter
from lms.twofactor import services as second_factor

blueprint = Blueprint("second_step", __name__, url_prefix="/login")

PENDING = "second_step"
PENDING_SECONDS = 10 * 60


def sign_in_or_ask(user: User, remember: bool, next_page: str):
    """After the password: sign in, or first ask for a code (or enrolment) when the person needs one."""
    if not second_factor.needs_second_step(user):
        sign_in_browser(user, remember)
        return redirect(next_page)
    session[PENDING] = {"user": user.id, "remember": bool(remember), "next": next_page, "since": time.time()}
    if second_factor.confirmed_factor(user.id) is None:
        return redirect(url_for("second_step.enrol"))
    return redirect(url_for("second_step.code"))


def _pending_user() -> User | None:
    """The person who gave the right password in this browser a few minutes ago, if any."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.active else None


def _finish(user: User) -> str:
    """Sign the person in for real; return where they were going."""
    pending = session.pop(PENDING)
    sign_in_browser(user, pending["remember"])
    return pending["next"]


def _start_again():
    session.pop(PENDING, None)
    flash(_("Sign in with your e-mail and password first."), "info")
    return redirect(url_for("accounts.login"))


def _pending_key() -> str:
    # Per person: whoever is here already knows the password, so guessing codes from many addresses must
    # not help. Only someone holding the password can use up the owner's attempts.
    pending = session.get(PENDING)
    return f"second-step:{pending.get('user') if isinstance(pending, dict) else get_remote_address()}"


def _refused(_response) -> bool:
    """Only wrong codes count toward the limits (a right one may answer 200, with the recovery codes)."""
    return bool(g.get("second_step_refused"))


def _limited(view):
    """The limits of the password form, counted separately and per person."""
    per_person = limiter.limit(
        lambda: current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"],
        key_func=_pending_key,
        methods=["POST"],
        deduct_when=_refused,
    )
    per_address = limiter.limit(
        lambda: current_app.config["RATELIMIT_LOGIN_PER_IP"], methods=["POST"], deduct_when=_refused
    )
    return per_address(per_person(view))


@blueprint.route("/code", methods=["GET", "POST"])
@_limited
def code():
    """Ask for the code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        return _start_again()
    if second_factor.confirmed_factor(user.id) is None:
        return redirect(url_for("second_step.enrol"))
    form = SecondFactorCodeForm()
    if form.validate_on_submit():
        try:
            verdict = second_factor.check_code(user, form.code.data)
        except second_factor.SecretUnreadable:
            _report_unreadable_secret(user)
            form.code.errors.append(
                _(
                    "Codes from the authenticator app cannot be checked right now because of a server configuration "
                    "error, which has been logged. Sign in with one of your recovery codes or contact the "
                    "administrator."
                )
            )
            return render_template("accounts/second_step_code.html", form=form)
        if verdict != second_factor.Verdict.WRONG:
            db.session.commit()  # the code is used up before the sign-in starts
            if verdict == second_factor.Verdict.RECOVERY:
                _warn_recovery_codes_left(user)
            return redirect(_finish(user))
        g.second_step_refused = True
        # A refused sign-in, like a wrong password: the account is known by now, the code is not kept.
        record_access(None, "user.second_step_failed", "User", user.id)
        db.session.commit()
        form.code.errors.append(_("This code is not correct or has already been used. Try the next one."))
    return render_template("accounts/second_step_code.html", form=form)


def _report_unreadable_secret(user: User) -> None:
    """Tell the operator (the log, and Sentry when configured): the person did nothing wrong."""
    current_app.logger.error(
        "The TOTP secret of person #%s cannot be decrypted: LMS_TOTP_ENCRYPTION_KEY is not the key it was encrypted "
        "with (a restored backup without its key? a replaced key without LMS_TOTP_ENCRYPTION_OLD_KEYS?). Codes from "
        "the app are refused until the key is restored; recovery codes work; an admin reset sets the app up anew.",
        user.id,
    )


def _warn_recovery_codes_left(user: User) -> None:
    left = second_factor.recovery_codes_left(user.id)
    flash(
        ngettext(
            "You signed in with a recovery code. %(num)d recovery code is left.",
            "You signed in with a recovery code. %(num)d recovery codes are left.",
            left,
        ),
        "warning",
    )


@blueprint.route("/enrol", methods=["GET", "POST"])
@_limited
def enrol():
    """Set up an authenticator app (QR code or the secret typed in) and confirm it with a code."""
    user = _pending_user()
    if user is None:
        return _start_again()
    if second_factor.confirmed_factor(user.id) is not None:
        return redirect(url_for("second_step.code"))
    factor = second_factor.start_enrolment(user)
    db.session.commit()
    form = SecondFactorCodeForm()
    form.code.render_kw = {**form.code.render_kw, "inputmode": "numeric"}
    if form.validate_on_submit():
        recovery_codes = second_factor.confirm_enrolment(factor, form.code.data)
        if recovery_codes is not None:
            db.session.commit()
            next_page = _finish(user)
            # Shown in this answer only: never stored readable, not even in the session cookie.
            return render_template("accounts/recovery_codes.html", codes=recovery_codes, next_page=next_page)
        g.second_step_refused = True
        # A refused sign-in, like a wrong password: the account is known by now, the code is not kept.
        record_access(None, "user.second_step_failed", "User", user.id)
        db.session.commit()
        form.code.errors.append(_("This code is not correct. Type the code the app shows now."))
    uri = second_factor.provisioning_uri(factor, user.email)
    return render_template(
        "accounts/second_step_enrol.html",
        form=form,
        qr=second_factor.qr_svg(uri, _("QR code to scan with the authenticator app")),
        secret=second_factor.grouped_secret(factor),
    )
