"""Forms of the token page."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.forms import AppForm, strip


class NewTokenForm(AppForm):
    name = StringField(
        _l("Name"),
        description=_l("What the token is for, e.g. “Gmina reporting system”."),
        filters=[strip],
        validators=[DataRequired(), Length(max=100)],
    )
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(AppForm):
    """One-click revocation (the CSRF token is the whole form)."""

    submit = SubmitField(_l("Revoke"))
