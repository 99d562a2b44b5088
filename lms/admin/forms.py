"""Admin forms for people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.editions.forms import CheckboxListField
from lms.forms import strip


class PersonForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    roles = CheckboxListField(_l("Roles"))
    institution = SelectField(_l("Institution"), coerce=int)
    active = BooleanField(_l("Account active (may sign in)"))
    submit = SubmitField(_l("Save"))


class ResetSecondFactorForm(FlaskForm):
    submit = SubmitField(_l("Reset two-step sign-in"))
