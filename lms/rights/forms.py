"""The one-button form that downloads a person's data (a POST, so CSRF-protected and audited)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ExportForm(FlaskForm):
    download = SubmitField(_l("Download all my data (ZIP)"))
