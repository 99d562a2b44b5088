"""The one-button form that downloads a person's data (a POST, so CSRF-protected and audited)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class ExportForm(FlaskForm):
    download = SubmitField(_l("Download all my data (ZIP)"))


class EraseForm(FlaskForm):
    """An admin carries out a person's erasure request; the checkbox makes the irreversible step deliberate."""

    confirm = BooleanField(_l("I confirm: this person asked for erasure, and it cannot be undone"))
    erase = SubmitField(_l("Erase this person's data"))


class NoticeSeenForm(FlaskForm):
    seen = SubmitField(_l("Got it"))
