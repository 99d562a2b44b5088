"""Sign-in, password and invitation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.accounts.passwords import MAX_LENGTH, password_problems
from lms.forms import AppForm, strip


class LoginForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Remember me on this computer"))
    submit = SubmitField(_l("Sign in"))


class NewPasswordMixin:
    """A new password typed twice, checked against every rule (each failing rule is named)."""

    email_for_rules = ""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )

    def validate_password(self, field):
        problems = password_problems(field.data or "", self.email_for_rules)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordMixin, AppForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordMixin, AppForm):
    submit = SubmitField(_l("Set the new password"))


class AcceptInvitationForm(NewPasswordMixin, AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Create my account"))


class InviteForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"))
    institution = SelectField(_l("Institution"), coerce=int)
    submit = SubmitField(_l("Send invitation"))


class ProfileForm(AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    language = SelectField(_l("Language of the interface"))
    submit = SubmitField(_l("Save"))


class SignOutEverywhereForm(AppForm):
    submit = SubmitField(_l("Sign out on all devices"))


class SecondFactorCodeForm(AppForm):
    # Room for a recovery code (11 characters) typed with spaces.
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        filters=[strip],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Confirm"))
