"""The learner's editor: Markdown text, attachments, save / preview / submit."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from lms.forms import AppForm, options
from lms.privacy.models import KEEP_REASON_LABELS


class WorkForm(AppForm):
    text = TextAreaField(_l("Your answer (Markdown)"), render_kw={"rows": 16})
    # The draft version the editor started from: a save from a stale tab is refused, never overwrites.
    draft_version = HiddenField()
    files = MultipleFileField(_l("Attach files"))
    save = SubmitField(_l("Save draft"))
    # Previewing saves the draft too (nothing typed is lost); the label and the message after it say so.
    preview = SubmitField(_l("Save and preview"))
    submit = SubmitField(_l("Submit to the trainer"))
    # Asked only when the personal data check found something (lms.learning.personal_data).
    keep_reason = RadioField(
        _l("Why may this data stay?"), choices=options(KEEP_REASON_LABELS.items()), validators=[Optional()]
    )


class ConfirmDeliverableForm(AppForm):
    """The coordinator's confirmation of an institution deliverable (lms.learning.confirmation)."""

    on_behalf = BooleanField(
        _l("I confirm on behalf of the institution"),
        validators=[DataRequired(_l("Tick the box to confirm on behalf of the institution."))],
    )
    confirm = SubmitField(_l("Confirm and pass to the trainers"))


class DetachForm(AppForm):
    """Removing one file from the draft (a CSRF-protected one-button form)."""

    remove = SubmitField(_l("Remove"))


def draft_version_of(form: WorkForm) -> int | None:
    """The draft version the form was written over (None when it does not say, e.g. an old page)."""
    value = (form.draft_version.data or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None
