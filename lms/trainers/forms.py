"""Forms for trainers' absences, their shares of an edition's work, and reassigning a work by hand."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from lms.forms import AppForm, DateField, NumberRange, options, strip
from lms.learning.allocation import ABSENCE_REASON_MAX_LENGTH

MAX_SHARE = 20  # a weight: 20 times another trainer's part is already more than any edition needs


class AbsenceForm(AppForm):
    starts_on = DateField(_l("First day away"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day away"), validators=[DataRequired()])
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=ABSENCE_REASON_MAX_LENGTH)], filters=[strip])
    submit = SubmitField(_l("Mark the absence"))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The absence must end on or after its first day."))


class ConfirmForm(AppForm):
    """A one-click action; the CSRF token is all it carries."""

    submit = SubmitField(_l("Confirm"))


class ReassignForm(AppForm):
    # The rules (lms.learning.allocation.reassign) judge the chosen trainer and say why they refuse one.
    trainer = SelectField(_l("Hand over to"), coerce=int, validators=[InputRequired()], validate_choice=False)
    submit = SubmitField(_l("Reassign"))

    def __init__(self, trainers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trainer.choices = options([(t.id, t.name) for t in trainers])


def shares_form(trainers, shares: dict[int, int]) -> AppForm:
    """A form with one share field per trainer of the edition (named ``share-<trainer id>``)."""

    class SharesForm(AppForm):
        submit = SubmitField(_l("Save the shares"))

    for trainer in trainers:
        field = IntegerField(
            trainer.name,
            validators=[InputRequired(), NumberRange(min=0, max=MAX_SHARE)],
            default=shares.get(trainer.id, 1),
            render_kw={"min": 0, "max": MAX_SHARE},
        )
        setattr(SharesForm, f"share-{trainer.id}", field)
    return SharesForm()
