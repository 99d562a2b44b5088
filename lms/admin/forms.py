"""Admin forms: people, and the audit log's filters."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.editions.forms import CheckboxListField
from lms.forms import AppForm, DateField, strip
from lms.ids import id_arg
from lms.reports.forms import DATE_FORMAT


class PersonForm(AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)], filters=[strip])
    roles = CheckboxListField(_l("Roles"))
    institution = SelectField(_l("Institution"), coerce=int)
    active = BooleanField(_l("Account active (may sign in)"))
    submit = SubmitField(_l("Save"))


class ResetSecondFactorForm(AppForm):
    submit = SubmitField(_l("Reset two-step sign-in"))


class AuditFilterForm(AppForm):
    """The audit log's filters, read from the query string (so without a CSRF token); bad values are refused."""

    class Meta:
        csrf = False

    person = StringField(_l("Person (name, e-mail or number)"), validators=[Length(max=100)], filters=[strip])
    object_type = SelectField(_l("Kind of object"), validate_choice=False)
    object_id = StringField(_l("Object number"), validators=[Length(max=12)], filters=[strip])
    action = SelectField(_l("Action"), validate_choice=False)
    date_from = DateField(_l("From"), name="from", validators=[Optional()], invalid_value_message=DATE_FORMAT)
    date_to = DateField(_l("To"), name="to", validators=[Optional()], invalid_value_message=DATE_FORMAT)

    def __init__(self, formdata, actions: dict, objects: dict):
        super().__init__(formdata=formdata)
        self.action.choices = [("", _("All actions"))] + [(key, str(label)) for key, label in actions.items()]
        self.object_type.choices = [("", _("All kinds"))] + [(key, str(label)) for key, label in objects.items()]

    def validate_action(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choose an action from the list."))

    def validate_object_type(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Choose a kind of object from the list."))

    def validate_object_id(self, field):
        if field.data and id_arg(field.data) is None:
            raise ValidationError(_("Enter the object's number: a whole number greater than zero."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date is before the start date."))
