"""Signing in and out, the profile, passwords, invitations."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.access.checks import Action, can, require, require_signed_in
from lms.accounts import services
from lms.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignOutEverywhereForm,
)
from lms.accounts.models import Role
from lms.accounts.profile_sections import profile_sections
from lms.accounts.second_step import sign_in_or_ask
from lms.accounts.signins import end_sign_in, record_failed_sign_in, sign_in_browser
from lms.extensions import db, limiter
from lms.forms import options
from lms.ids import id_arg
from lms.institutions.models import Institution
from lms.urls import safe_next

blueprint = Blueprint("accounts", __name__)


def _login_account_key() -> str:
    # Per account *and* address: guessing from one address stops there, while the owner signing in from
    # anywhere else is never refused (a per-account key would let anyone lock anyone out).
    return f"login:{services.normalise_email(request.form.get('email', ''))}|{get_remote_address()}"


def _failed(response) -> bool:
    """Only failed attempts count toward the limits (a success redirects)."""
    return response.status_code != 302


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_PER_IP"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"],
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    """Sign in by e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            next_page = safe_next(request.args.get("next"), url_for("main.home"))
            return sign_in_or_ask(user, form.remember.data, next_page)
        record_failed_sign_in(services.find_user_by_email(form.email.data))
        db.session.commit()
        # One message for unknown e-mail and wrong password: no account enumeration.
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("accounts/login.html", form=form)


@blueprint.post("/logout")
def logout():
    """Sign out (a POST, so another site cannot sign you out): this browser's cookies stop working."""
    if current_user.is_authenticated:
        end_sign_in(current_user)
        db.session.commit()
    logout_user()
    flash(_("You have been signed out."), "success")
    return redirect(url_for("main.home"))


@blueprint.post("/logout/everywhere")
def logout_everywhere():
    """Sign out on every device and browser (a lost phone, a shared computer)."""
    require_signed_in()
    if SignOutEverywhereForm().validate_on_submit():
        services.sign_out_everywhere(current_user)
        db.session.commit()
        logout_user()
        flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("main.home"))


@blueprint.route("/account/", methods=["GET", "POST"])
def profile():
    """One's own account: name, institution, roles, language; links to the password and API tokens."""
    require_signed_in()
    form = ProfileForm(obj=current_user)
    languages = current_app.config["LANGUAGES"]
    form.language.choices = list(languages.items())
    if request.method == "GET":
        form.language.data = current_user.language or session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.language.data)
        db.session.commit()
        session["lang"] = form.language.data
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    roles = sorted(services.role_label(role) for role in current_user.roles)
    return render_template("accounts/profile.html", form=form, roles=roles, sections=profile_sections(current_user))


def _account_key() -> str:
    # Per person, not per sign-in (signing in again must not reset the count); anonymous visitors get
    # here before the view sends them to sign in.
    return f"password-change:{getattr(current_user, 'id', 'anonymous')}"


@blueprint.route("/account/password", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def change_password():
    """Change one's own password (signs out other devices)."""
    require_signed_in()
    form = ChangePasswordForm()
    form.email_for_rules = current_user.email
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.current.data) is None:
            form.current.errors.append(_("The current password is not correct."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            # Every sign-in has ended; this device gets a new one (remembered, if it was).
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            sign_in_browser(current_user._get_current_object(), remember=remembered)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/change_password.html", form=form, everywhere_form=SignOutEverywhereForm())


def _reset_account_key() -> str:
    return "reset:" + services.normalise_email(request.form.get("email", ""))


@blueprint.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"], key_func=_reset_account_key, methods=["POST"])
def forgotten_password():
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account exists for this address, we have sent a link to set a new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgotten_password.html", form=form)


def _link_refused(message: str):
    """The one page for an expired, used, tampered or unknown e-mailed link."""
    return render_template("accounts/link_refused.html", message=message), 400


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from an e-mailed link."""
    try:
        user = services.user_for_reset_token(token)
    except services.AccountError as error:
        return _link_refused(str(error))
    form = ResetPasswordForm()
    form.email_for_rules = user.email
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your new password is set. You can sign in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation: choose a name and password, and the account exists."""
    try:
        invitation = services.invitation_for_token(token)
    except services.AccountError as error:
        return _link_refused(str(error))
    form = AcceptInvitationForm()
    form.email_for_rules = invitation.email
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(invitation, form.name.data, form.password.data)
            db.session.commit()
        except (services.AccountError, IntegrityError):
            db.session.rollback()
            message = _("This invitation has already been used. Sign in instead.")
            return _link_refused(message)
        flash(_("Welcome to Akademia CAL!"), "success")
        return sign_in_or_ask(user, remember=False, next_page=url_for("main.home"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


def _invitable(user) -> tuple[list[Role], list[Institution]]:
    """Roles and institutions this person may invite to: admins anything, coordinators their staff."""
    if can(user, Action.ADMIN_AREA):
        institutions = db.session.scalars(select(Institution).order_by(Institution.name)).all()
        return [Role.COORDINATOR, Role.TRAINER, Role.ANIMATOR], institutions
    own = user.institution
    if own is not None and can(user, Action.INVITE_STAFF, own):
        return [Role.ANIMATOR], [own]
    return [], []


@blueprint.route("/invitations/new", methods=["GET", "POST"])
def invite():
    """Invite a person: admins invite coordinators, trainers and animators; coordinators their staff."""
    require_signed_in()
    roles, institutions = _invitable(current_user)
    if not roles:
        require(Action.ADMIN_AREA)  # answers 403
    form = InviteForm()
    form.role.choices = options([(role.value, services.role_label(role)) for role in roles])
    no_institution = [(0, _("— none —"))] if Role.TRAINER in roles else []
    form.institution.choices = options(no_institution + [(i.id, i.name) for i in institutions])
    if request.method == "GET" and id_arg(request.args.get("institution")):
        form.institution.data = id_arg(request.args.get("institution"))
    if form.validate_on_submit():
        role = Role(form.role.data)
        institution = next((i for i in institutions if i.id == form.institution.data), None)
        if role in (Role.ANIMATOR, Role.COORDINATOR) and institution is None:
            form.institution.errors.append(_("Animators and coordinators must belong to an institution."))
        else:
            services.invite(current_user, form.email.data, role, institution)
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("accounts.invite"))
    return render_template("accounts/invite.html", form=form)


@blueprint.app_template_filter("role_label")
def role_label_filter(role) -> str:
    """A role's name in the user's language (templates)."""
    return services.role_label(Role(role))


blueprint.add_app_template_global(services.role_label, "role_label")
