"""The institution form (admins create and edit; coordinators edit their own)."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.forms import AppForm, options, strip
from lms.institutions.labels import KIND_LABELS, VOIVODESHIP_LABELS


class InstitutionForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=3, max=200)], filters=[strip])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    gmina = StringField(_l("Gmina"), validators=[DataRequired(), Length(max=120)], filters=[strip])
    powiat = StringField(_l("Powiat"), validators=[DataRequired(), Length(max=120)], filters=[strip])
    voivodeship = SelectField(_l("Voivodeship"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)], filters=[strip])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)], filters=[strip])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([(kind.value, label) for kind, label in KIND_LABELS.items()])
        self.voivodeship.choices = options([(v.value, label) for v, label in VOIVODESHIP_LABELS.items()])
