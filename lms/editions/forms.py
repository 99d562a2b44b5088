"""Edition and enrolment forms."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.forms import AppForm, DateField, options, strip
from lms.institutions.labels import VOIVODESHIP_LABELS


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as checkboxes (usable without JavaScript, on any screen)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EditionForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=3, max=200)], filters=[strip])
    programme = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
    voivodeship = SelectField(_l("Region (voivodeship)"), validators=[DataRequired()])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    trainers = CheckboxListField(_l("Trainers"), coerce=int)
    institutions = CheckboxListField(_l("Participating institutions"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.voivodeship.choices = options([(v.value, label) for v, label in VOIVODESHIP_LABELS.items()])


class EnrolForm(AppForm):
    people = CheckboxListField(_l("Animators to enrol"), coerce=int)
    submit = SubmitField(_l("Enrol"))


class DeadlinesForm(AppForm):
    """A date input per module of the edition's programme (fields named ``module-<id>``); empty clears it."""

    submit = SubmitField(_l("Save the due dates"))

    @classmethod
    def for_modules(cls, modules, starts_on, ends_on, **kwargs) -> "DeadlinesForm":
        """The form for ``modules`` (id and title each); the browser's date picker offers the edition's dates."""
        fields = {
            f"module-{module.id}": DateField(
                module.title,
                validators=[Optional()],
                render_kw={"min": starts_on.isoformat(), "max": ends_on.isoformat()},
            )
            for module in modules
        }
        return type("EditionDeadlinesForm", (cls,), fields)(**kwargs)
