"""Forms for applying, awarding, returning, revoking and typing a verification code."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.forms import AppForm, DateField, strip


class ApplyForm(AppForm):
    submit = SubmitField(_l("Apply for the certificate"))


class AwardForm(AppForm):
    visit_on = DateField(_l("Date of the on-site visit"), validators=[DataRequired()])
    visitors = StringField(_l("Visitors"), validators=[DataRequired(), Length(max=300)], filters=[strip])
    findings = TextAreaField(
        _l("Findings of the visit"), validators=[DataRequired(), Length(max=10_000)], filters=[strip]
    )
    award = SubmitField(_l("Award the certificate"))


class ReturnForm(AppForm):
    feedback = TextAreaField(_l("Feedback for the institution"), validators=[Length(max=10_000)])
    return_ = SubmitField(_l("Return the application"))


class RevokeForm(AppForm):
    reason = TextAreaField(_l("Reason (shown on the public verification page)"), validators=[Length(max=2000)])
    revoke = SubmitField(_l("Revoke the certificate"))


class VerifyCredentialForm(AppForm):
    """A credential to check: a file (.jwt or .json) or a pasted VC-JWT."""

    file = FileField(_l("Credential file (.jwt or .json)"))
    token = TextAreaField(_l("…or paste the credential (VC-JWT)"), validators=[Length(max=60_000)])
    check = SubmitField(_l("Check the credential"))
