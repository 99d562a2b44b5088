"""Forms of the token page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.forms import strip


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("What the token is for, e.g. “Gmina reporting system”."),
        filters=[strip],
        validators=[DataRequired(), Length(max=100)],
    )
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    """One-click revocation (the CSRF token is the whole form)."""

    submit = SubmitField(_l("Revoke"))
