"""Sign-in, password and invitation forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.accounts.passwords import MAX_LENGTH, password_problems
from lms.forms import strip


class LoginForm(FlaskForm):
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


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set the new password"))


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Create my account"))


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"))
    institution = SelectField(_l("Institution"), coerce=int)
    submit = SubmitField(_l("Send invitation"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    language = SelectField(_l("Language of the interface"))
    submit = SubmitField(_l("Save"))


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField(_l("Sign out on all devices"))


class SecondFactorCodeForm(FlaskForm):
    # Room for a recovery code (11 characters) typed with spaces.
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        filters=[strip],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Confirm"))
