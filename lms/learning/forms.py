"""The learner's editor: Markdown text, attachments, save / preview / submit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Optional

from lms.forms import options
from lms.privacy.models import KEEP_REASON_LABELS


class WorkForm(FlaskForm):
    text = TextAreaField(_l("Your answer (Markdown)"), render_kw={"rows": 16})
    files = MultipleFileField(_l("Attach files"))
    save = SubmitField(_l("Save draft"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Submit to the trainer"))
    # Asked only when the personal data check found something (lms.learning.personal_data).
    keep_reason = RadioField(
        _l("Why may this data stay?"), choices=options(KEEP_REASON_LABELS.items()), validators=[Optional()]
    )


class DetachForm(FlaskForm):
    """Removing one file from the draft (a CSRF-protected one-button form)."""

    remove = SubmitField(_l("Remove"))
