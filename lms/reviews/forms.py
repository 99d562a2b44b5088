"""The review form: one met / not met choice and comment per criterion of the attempt's version."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.forms import options
from lms.reviews.services import MAX_FEEDBACK_LENGTH


class ReviewForm(FlaskForm):
    feedback = TextAreaField(
        _l("Overall feedback (Markdown)"), validators=[Length(max=MAX_FEEDBACK_LENGTH)], render_kw={"rows": 8}
    )
    accept = SubmitField(_l("Accept"))
    revise = SubmitField(_l("Request revision"))


def review_form_for(criteria) -> ReviewForm:
    """A ReviewForm with a met/not-met field and a comment field for each criterion."""

    class CriteriaReviewForm(ReviewForm):
        pass

    for criterion in criteria:
        setattr(
            CriteriaReviewForm,
            f"met_{criterion.id}",
            RadioField(
                criterion.text,
                choices=options([("met", _l("Met")), ("not_met", _l("Not met"))]),
                validators=[InputRequired(message=_l("Mark this criterion as met or not met."))],
            ),
        )
        setattr(
            CriteriaReviewForm,
            f"comment_{criterion.id}",
            TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}),
        )
    return CriteriaReviewForm()
