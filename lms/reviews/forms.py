"""The review form: one met / not met choice and comment per criterion of the attempt's version."""

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from lms.forms import AppForm, options
from lms.reviews.services import MAX_FEEDBACK_LENGTH


class ReviewForm(AppForm):
    feedback = TextAreaField(
        _l("Overall feedback (Markdown)"), validators=[Length(max=MAX_FEEDBACK_LENGTH)], render_kw={"rows": 8}
    )
    accept = SubmitField(_l("Accept"))
    revise = SubmitField(_l("Request revision"))


def review_form_for(criteria) -> ReviewForm:
    """A ReviewForm with a met/not-met field and a comment field for each criterion."""
    return _review_form_class(tuple((criterion.id, criterion.text) for criterion in criteria))()


@lru_cache(maxsize=256)
def _review_form_class(criteria: tuple[tuple[int, str], ...]) -> type[ReviewForm]:
    """The form class for these (id, text) criteria, built once: building it cost twice as much as filling it in."""

    class CriteriaReviewForm(ReviewForm):
        pass

    for criterion_id, text in criteria:
        setattr(
            CriteriaReviewForm,
            f"met_{criterion_id}",
            RadioField(
                text,
                choices=options([("met", _l("Met")), ("not_met", _l("Not met"))]),
                validators=[InputRequired(message=_l("Mark this criterion as met or not met."))],
            ),
        )
        setattr(
            CriteriaReviewForm,
            f"comment_{criterion_id}",
            TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}),
        )
    return CriteriaReviewForm


class SavedCommentForm(AppForm):
    """Editing one comment of the trainer's bank (its rules are the bank's: ``comment_bank.edit_comment``)."""

    text = TextAreaField(_l("Comment"), render_kw={"rows": 3})
    submit = SubmitField(_l("Save changes"))


class DeleteSavedCommentForm(AppForm):
    """Taking a comment out of the bank (the CSRF token is the whole form)."""

    submit = SubmitField(_l("Delete"))
