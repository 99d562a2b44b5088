"""The one-button form that downloads a person's data (a POST, so CSRF-protected and audited)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField

from lms.forms import AppForm


class ExportForm(AppForm):
    download = SubmitField(_l("Download all my data (ZIP)"))


class EraseForm(AppForm):
    """An admin carries out a person's erasure request; the checkbox makes the irreversible step deliberate."""

    confirm = BooleanField(_l("I confirm: this person asked for erasure, and it cannot be undone"))
    erase = SubmitField(_l("Erase this person's data"))


class NoticeSeenForm(AppForm):
    seen = SubmitField(_l("Got it"))


class RedactForm(AppForm):
    """An admin removes a passage of an attempt's text, saying why."""

    passage = TextAreaField(_l("Passage to remove (copied exactly)"), render_kw={"rows": 2})
    reason = StringField(_l("Reason"), render_kw={"maxlength": 300})
    redact = SubmitField(_l("Remove the passage"))
