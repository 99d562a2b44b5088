"""Level II forms: a consultation with agreed actions, the monitoring messages, indicator reports, decisions."""

from typing import ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from lms.forms import AppForm, DateField, NumberRange, SubForm, options, strip
from lms.learning.files import FORMAT_LABELS, CheckedFile, UploadRejected, check_upload
from lms.support import consulting, indicator_reporting, monitoring_thread
from lms.support.models import ConsultationForm

FORM_LABELS = {
    ConsultationForm.ON_SITE: _l("On site"),
    ConsultationForm.ONLINE: _l("Online"),
    ConsultationForm.PHONE: _l("By phone"),
}
WHOLE_NUMBER = _l("Enter a whole number, 0 or more.")
MIN_MINUTES, MAX_MINUTES = consulting.MIN_DURATION_MINUTES, consulting.MAX_DURATION_MINUTES
DURATION = _l("Enter a whole number of minutes from 15 to 600.")


class WholeNumberField(IntegerField):
    """A number input: empty means no value (the required check says so), anything else must be an integer."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata([v.strip() for v in valuelist])

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # "not a whole number" is already said once


class AgreedActionRow(SubForm):
    """One optional row of agreed actions (a sub-form: the outer form carries the CSRF token)."""

    description = StringField(_l("Agreed action"), validators=[Length(max=500)], filters=[strip])
    owner = StringField(_l("Who does it"), validators=[Length(max=200)], filters=[strip])
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])

    def validate_description(self, field):
        if not field.data and (self.owner.data or (self.due_on.raw_data or [""])[0]):
            raise ValidationError(_l("Describe the action, or clear the whole row."))

    def validate_owner(self, field):
        if not field.data and self.description.data:
            raise ValidationError(_l("Say who will do it."))


class ConsultationLogForm(AppForm):
    programme = SelectField(_l("Programme"), coerce=int)
    held_on = DateField(_l("Date of the consultation"), validators=[InputRequired()])
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        validators=[InputRequired(), NumberRange(min=MIN_MINUTES, max=MAX_MINUTES, message=DURATION)],
        invalid_value_message=DURATION,
        render_kw={"min": MIN_MINUTES, "max": MAX_MINUTES},
    )
    mode = SelectField(_l("Form"))
    consultant = StringField(_l("Consultant"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=300)], filters=[strip])
    notes = TextAreaField(
        _l("Notes"), validators=[Length(max=consulting.MAX_NOTES_LENGTH)], filters=[strip], render_kw={"rows": 6}
    )
    actions = FieldList(
        FormField(AgreedActionRow),
        min_entries=consulting.MAX_AGREED_ACTIONS,
        max_entries=consulting.MAX_AGREED_ACTIONS,
    )
    submit = SubmitField(_l("Log the consultation"))

    def __init__(self, programmes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme.choices = options([(p.id, p.title) for p in programmes])
        self.mode.choices = options([(form.value, label) for form, label in FORM_LABELS.items()])


class NeedForm(AppForm):
    """The coordinator: what the team needs."""

    text = TextAreaField(
        _l("What does your team need?"),
        validators=[DataRequired(), Length(max=monitoring_thread.MAX_MESSAGE_LENGTH)],
        filters=[strip],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Post the need"))


class ProposalForm(AppForm):
    """A trainer's answer: a module of the programme and/or an individual consultation, with a message."""

    module = SelectField(_l("Propose a module"), default="")
    consultation = BooleanField(_l("Propose an individual consultation"))
    text = TextAreaField(
        _l("Your proposal"),
        validators=[DataRequired(), Length(max=monitoring_thread.MAX_MESSAGE_LENGTH)],
        filters=[strip],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Send the proposal"))

    def __init__(self, modules, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.module.choices = options(
            [("", _l("— no module —"))]
            + [(str(m.id), m.current_version.title if m.current_version else m.slug) for m in modules]
        )

    def validate_module(self, field):
        if not field.data and not self.consultation.data:
            raise ValidationError(_l("Choose a module or propose an individual consultation."))

    @property
    def module_id(self) -> int | None:
        return int(self.module.data) if self.module.data else None


class IndicatorReportForm(AppForm):
    period_start = DateField(_l("Period from"), validators=[InputRequired()])
    period_end = DateField(_l("Period to"), validators=[InputRequired()])
    description = TextAreaField(
        _l("Short description"),
        validators=[DataRequired(), Length(max=indicator_reporting.MAX_DESCRIPTION_LENGTH)],
        filters=[strip],
        render_kw={"rows": 4},
    )
    evidence = MultipleFileField(
        _l("Evidence files (optional, at most 3)"),
        description=_l("Formats: %(formats)s.", formats=FORMAT_LABELS),
    )
    submit = SubmitField(_l("Submit the report"))

    # (indicator key, field name) for each indicator field, set by indicator_report_form
    indicator_fields: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_files: list[CheckedFile] = []  # the evidence uploads, once checked

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("The end of the period cannot be before its start."))

    def validate_evidence(self, field):
        """Check every uploaded file (size, real type, name); one bad file refuses the report."""
        uploads = [upload for upload in field.data or [] if getattr(upload, "filename", "")]
        if len(uploads) > indicator_reporting.MAX_EVIDENCE_FILES:
            raise ValidationError(_l("At most 3 evidence files."))
        max_bytes = current_app.config["MAX_ATTACHMENT_BYTES"]
        checked = []
        for upload in uploads:
            try:
                checked.append(check_upload(upload.filename, upload.read(max_bytes + 1), max_bytes))
            except UploadRejected as error:
                raise ValidationError(f"{upload.filename}: {error}") from error
        self.checked_files = checked

    def indicator_values(self) -> dict:
        return {key: self[name].data for key, name in self.indicator_fields}


def indicator_report_form(indicators: list[dict]) -> IndicatorReportForm:
    """An IndicatorReportForm with one required whole-number field per indicator of the programme."""

    class ProgrammeIndicatorReportForm(IndicatorReportForm):
        pass

    fields = []
    for indicator in indicators:
        name = f"indicator-{indicator['key']}"
        setattr(
            ProgrammeIndicatorReportForm,
            name,
            WholeNumberField(
                indicator.get("label") or indicator["key"],
                validators=[
                    InputRequired(message=_l("Enter a value (0 if there were none).")),
                    NumberRange(min=0, max=indicator_reporting.MAX_INDICATOR_VALUE, message=WHOLE_NUMBER),
                ],
                invalid_value_message=WHOLE_NUMBER,
                render_kw={"min": 0, "step": 1},
            ),
        )
        fields.append((indicator["key"], name))
    ProgrammeIndicatorReportForm.indicator_fields = fields
    return ProgrammeIndicatorReportForm()


class DecisionForm(AppForm):
    """A trainer accepts or returns an indicator report."""

    feedback = TextAreaField(
        _l("Feedback (required to return the report)"),
        validators=[Length(max=indicator_reporting.MAX_FEEDBACK_LENGTH)],
        filters=[strip],
        render_kw={"rows": 5},
    )
    accept = SubmitField(_l("Accept"))
    send_back = SubmitField(_l("Return for correction"))

    def validate_feedback(self, field):
        if self.send_back.data and not field.data:
            raise ValidationError(_l("Write what to correct before returning the report."))
        if not self.accept.data and not self.send_back.data:
            raise ValidationError(_l("Choose to accept or to return the report."))


class ActionDoneForm(AppForm):
    """Marking an agreed action done (a CSRF-protected one-button form)."""

    done = SubmitField(_l("Mark as done"))
