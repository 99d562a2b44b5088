"""The one-button form that downloads a person's data (a POST, so CSRF-protected and audited)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField


class ExportForm(FlaskForm):
    download = SubmitField(_l("Download all my data (ZIP)"))


class EraseForm(FlaskForm):
    """An admin carries out a person's erasure request; the checkbox makes the irreversible step deliberate."""

    confirm = BooleanField(_l("I confirm: this person asked for erasure, and it cannot be undone"))
    erase = SubmitField(_l("Erase this person's data"))


class NoticeSeenForm(FlaskForm):
    seen = SubmitField(_l("Got it"))


class RedactForm(FlaskForm):
    """An admin removes a passage of an attempt's text, saying why."""

    passage = TextAreaField(_l("Passage to remove (copied exactly)"), render_kw={"rows": 2})
    reason = StringField(_l("Reason"), render_kw={"maxlength": 300})
    redact = SubmitField(_l("Remove the passage"))
