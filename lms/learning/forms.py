"""The learner's editor: Markdown text, attachments, save / preview / submit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SubmitField, TextAreaField


class WorkForm(FlaskForm):
    text = TextAreaField(_l("Your answer (Markdown)"), render_kw={"rows": 16})
    files = MultipleFileField(_l("Attach files"))
    save = SubmitField(_l("Save draft"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Submit to the trainer"))


class DetachForm(FlaskForm):
    """Removing one file from the draft (a CSRF-protected one-button form)."""

    remove = SubmitField(_l("Remove"))
