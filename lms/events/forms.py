"""Event forms: scheduling an event, registering staff, one-click actions. Times are entered in Polish time."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.base import polish_to_utc, utc_to_polish
from lms.content.spec import EventKind
from lms.events import services
from lms.events.labels import KIND_LABELS
from lms.forms import AppForm, DateTimeLocalField, NumberRange, options, strip


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class EventForm(AppForm):
    kind = SelectField(_l("Kind"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ends"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M")
    hours = DecimalField(
        _l("Teaching hours"),
        places=1,
        validators=[InputRequired(), NumberRange(min=0.5, max=services.MAX_HOURS)],
        render_kw={"step": "0.5", "min": "0.5"},
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[InputRequired(), NumberRange(min=1, max=services.MAX_CAPACITY)],
        render_kw={"min": 1},
    )
    place = StringField(_l("Place (address)"), validators=[Length(max=300)], filters=[strip])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=500)], filters=[strip])
    level = SelectField(_l("Level"), coerce=_optional_int, validate_choice=True)
    module = SelectField(_l("Module"), coerce=_optional_int)
    host_institution = SelectField(_l("Host institution"), coerce=_optional_int)
    trainer = SelectField(_l("Trainer"), coerce=_optional_int)
    agenda = TextAreaField(
        _l("Agenda (Markdown)"),
        validators=[Length(max=services.MAX_AGENDA_LENGTH)],
        filters=[strip],
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Save the event"))

    def __init__(self, edition, modules, *args, **kwargs):
        super().__init__(*args, **kwargs)
        none = (None, _l("— none —"))
        self.kind.choices = options([(kind.value, label) for kind, label in KIND_LABELS.items()])
        self.level.choices = options([none, *((level.number, level.title) for level in edition.programme.levels)])
        self.module.choices = options([none, *((m.id, title) for m, title in modules)])
        self.host_institution.choices = options([none, *((i.id, i.name) for i in edition.institutions)])
        self.trainer.choices = options([none, *((t.id, t.name) for t in edition.trainers)])

    def data_for_service(self) -> services.EventInput:
        """What the service needs, times converted to UTC."""
        return services.EventInput(
            kind=EventKind(self.kind.data),
            title=self.title.data,
            starts_at=polish_to_utc(self.starts_at.data),
            ends_at=polish_to_utc(self.ends_at.data),
            hours=float(self.hours.data),
            capacity=self.capacity.data,
            place=self.place.data or "",
            online_url=self.online_url.data or "",
            level=self.level.data,
            module_id=self.module.data,
            host_institution_id=self.host_institution.data,
            trainer_id=self.trainer.data,
            agenda=self.agenda.data or "",
        )

    def fill_from(self, event) -> None:
        """Show a saved event, times in Polish time."""
        self.kind.data = event.kind.value
        self.title.data = event.title
        self.starts_at.data, self.ends_at.data = utc_to_polish(event.starts_at), utc_to_polish(event.ends_at)
        self.hours.data, self.capacity.data = event.hours, event.capacity
        self.place.data, self.online_url.data = event.place, event.online_url
        self.level.data, self.module.data = event.level, event.module_id
        self.host_institution.data, self.trainer.data = event.host_institution_id, event.trainer_id
        self.agenda.data = event.agenda


class RegisterForm(AppForm):
    person = SelectField(_l("Person"), coerce=int)
    submit = SubmitField(_l("Register"))

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = options([(p.id, p.name) for p in people])


class WithdrawForm(AppForm):
    """Giving up a registration: the place goes to the first one waiting, so the step is deliberate, ticked and
    checked on the server as the app's other irreversible steps are (erasure, confirming a deliverable)."""

    confirm = BooleanField(
        _l("I confirm: withdraw this registration"),
        validators=[DataRequired(_l("Tick the box to confirm the withdrawal."))],
    )
    submit = SubmitField(_l("Withdraw the registration"))


class ConfirmForm(AppForm):
    """A one-click action; the CSRF token is all it carries."""

    submit = SubmitField(_l("Confirm"))
