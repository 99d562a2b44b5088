"""The trainer's side: the review queue and the review page."""

from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.access.checks import Action, can, require, require_signed_in
from lms.accounts.models import Role
from lms.base import utcnow
from lms.content.drafts import empty_headings
from lms.content.spec import Scope
from lms.extensions import db
from lms.ids import id_arg, page_arg, within_pages
from lms.learning import access_log, allocation
from lms.learning.decisions import CriterionResult, Decision
from lms.learning.history import attempt_history
from lms.learning.models import Attempt, WorkStatus
from lms.reviews import comment_bank, services
from lms.reviews.forms import DeleteSavedCommentForm, SavedCommentForm, review_form_for
from lms.urls import id_link

blueprint = Blueprint("reviews", __name__, url_prefix="/reviews")


def _filters() -> services.QueueFilters:
    scope = request.args.get("scope", "")
    return services.QueueFilters(
        edition_id=id_arg(request.args.get("edition")),
        institution_id=id_arg(request.args.get("institution")),
        module_id=id_arg(request.args.get("module")),
        scope=Scope(scope) if scope in {s.value for s in Scope} else None,
    )


@blueprint.get("/")
def queue():
    """Attempts waiting in the trainer's editions, oldest first, with filters and counts by state."""
    require_signed_in()
    if not current_user.has_role(Role.TRAINER):
        require(Action.REVIEW)  # answers 403: the queue is for trainers
    filters = _filters()
    counts = services.state_counts(current_user, filters)
    page = within_pages(
        services.queue_page(
            current_user,
            filters,
            page_arg(request.args.get("page")),
            current_app.config["PAGE_SIZE"],
            counts[WorkStatus.SUBMITTED],
        )
    )
    return render_template(
        "reviews/queue.html",
        page=page,
        filters=filters,
        counts=counts,
        choices=services.filter_choices(current_user),
        conflicts=services.conflict_notes(current_user),
        rows=_queue_rows(page.items),
        mine=allocation.mine_waiting(current_user.id),
    )


class QueueRow(NamedTuple):
    """One row of the queue's table, as it reads."""

    waited: str
    review_url: str
    title: str
    who: str
    where: str
    edition: str
    attempts: int


def _queue_rows(items) -> list[QueueRow]:
    """The table's rows, written here rather than in the template: per row, Python is twice as fast."""
    waited = services.waiting_time(utcnow())
    deliverable = _("Institution deliverable")
    review_url = id_link("reviews.review", "attempt_id")
    return [
        QueueRow(
            waited=waited(row.last_submitted_at),
            review_url=review_url.format(row.id),
            title=row.title,
            who=row.institution_name if row.learner_id is None else row.learner_name,
            where=deliverable if row.learner_id is None else row.institution_name,
            edition=row.edition_name,
            attempts=row.attempt_count,
        )
        for row in items
    ]


def _refuse_unconfirmed(attempt) -> None:
    """403, not 404, for a deliverable waiting for its coordinator's confirmation, to the edition's trainers
    (and admins), who will see it once confirmed: it exists, it is just not theirs to open yet. Anyone else
    learns nothing of it (404, from the policy's VIEW)."""
    work = attempt.work
    if (
        work.status is WorkStatus.AWAITING_CONFIRMATION
        and not can(current_user, Action.VIEW, attempt)
        and can(current_user, Action.SCHEDULE, work.edition)
    ):
        abort(403)


@blueprint.route("/attempts/<int:attempt_id>/", methods=["GET", "POST"])
def review(attempt_id: int):
    """One attempt with its history; the trainer judges each criterion and decides."""
    # The history holds the attempt itself with its work, version (and criteria) and review: what the
    # decision needs, without loading them apart.
    attempts = attempt_history(attempt_id)
    attempt = next((a for a in attempts if a.id == attempt_id), None) or abort(404)
    _refuse_unconfirmed(attempt)
    require(Action.VIEW, attempt)
    work = attempt.work
    criteria = attempt.assignment_version.criteria
    form = review_form_for(criteria)
    before = _judged_before(attempt, attempts, criteria)
    if request.method == "GET":
        _start_from(form, before)
    elif request.form.get("bank_save") or request.form.get("bank_insert"):
        require(Action.REVIEW, work)
        _use_comment_bank(form, criteria)
    else:
        require(Action.REVIEW, work)
        if form.validate_on_submit():
            judgements = [
                services.CriterionJudgement(c.id, form[f"met_{c.id}"].data == "met", form[f"comment_{c.id}"].data or "")
                for c in criteria
            ]
            decision = Decision.ACCEPTED if form.accept.data else Decision.REVISION_REQUESTED
            try:
                services.decide(attempt, current_user, judgements, form.feedback.data or "", decision)
                db.session.commit()
            except services.ReviewError as error:
                form.feedback.errors.append(str(error))
            else:
                flash(_("Decision saved: the learner has been notified."), "success")
                return redirect(url_for("reviews.queue"))
    may_review = can(current_user, Action.REVIEW, work) and attempt.review is None
    may_review = may_review and attempt.number == work.attempt_count
    version = attempt.assignment_version
    if request.method == "GET":
        access_log.attempt_viewed(current_user, attempt)
    return render_template(
        "reviews/review.html",
        attempt=attempt,
        parts=_review_parts(attempt, attempts),
        template_gaps=empty_headings(version.template, attempt.text_md) if version.template else None,
        criteria=criteria,
        form=form,
        may_review=may_review,
        unmet_before={criterion_id for criterion_id, result in before.items() if not result.met},
        bank=comment_bank.comments_of(current_user) if may_review else [],
    )


def _judged_before(attempt: Attempt, attempts: list[Attempt], criteria) -> dict[int, CriterionResult]:
    """The previous version's judgement of each criterion (by id, or by its text when the assignment's
    version changed in between): the review of version n+1 starts from there."""
    previous = next((a for a in attempts if a.number == attempt.number - 1), None)
    if previous is None or previous.review is None:
        return {}
    results = previous.review.results
    by_id = {result.criterion_id: result for result in results}
    by_text = {result.criterion.text: result for result in results}
    judged = {}
    for criterion in criteria:
        result = by_id.get(criterion.id) or by_text.get(criterion.text)
        if result is not None:
            judged[criterion.id] = result
    return judged


def _start_from(form, before: dict[int, CriterionResult]) -> None:
    for criterion_id, result in before.items():
        form[f"met_{criterion_id}"].data = "met" if result.met else "not_met"
        form[f"comment_{criterion_id}"].data = result.comment


def _use_comment_bank(form, criteria) -> None:
    """Save a criterion's comment to the trainer's bank, or insert a saved one into it; the form comes back
    as it was typed (works without JavaScript: these are the form's own buttons)."""
    ids = {criterion.id for criterion in criteria}
    saving = id_arg(request.form.get("bank_save"))
    if saving in ids:
        field = form[f"comment_{saving}"]
        try:
            comment_bank.save_comment(current_user, field.data or "")
            db.session.commit()
        except comment_bank.CommentBankError as error:
            db.session.rollback()
            field.errors = [str(error)]
        else:
            flash(_("The comment is in your bank."), "success")
        return
    inserting = id_arg(request.form.get("bank_insert"))
    if inserting in ids:
        saved = comment_bank.saved_comment(current_user, id_arg(request.form.get(f"bank_pick_{inserting}")))
        if saved is not None:
            field = form[f"comment_{inserting}"]
            typed = (field.data or "").rstrip()
            field.data = f"{typed}\n{saved.text}" if typed else saved.text


def _require_trainer() -> None:
    require_signed_in()
    if not current_user.has_role(Role.TRAINER):
        require(Action.REVIEW)  # answers 403: the bank is a trainer's


@blueprint.get("/comments/")
def comment_bank_page():
    """The trainer's own comment bank, each comment editable and deletable."""
    _require_trainer()
    return _bank_page()


def _bank_page(editing: int | None = None, edit_form: SavedCommentForm | None = None) -> str:
    """The bank; ``editing`` is the comment whose refused edit comes back as typed, with its error."""
    return render_template(
        "reviews/comment_bank.html",
        bank=comment_bank.comments_of(current_user),
        editing=editing,
        edit_form=edit_form,
        delete_form=DeleteSavedCommentForm(),
    )


@blueprint.post("/comments/<int:comment_id>/edit")
def edit_saved_comment(comment_id: int):
    """Change one's own saved comment; someone else's answers 404 (it does not exist for them)."""
    _require_trainer()
    comment = comment_bank.saved_comment(current_user, comment_id) or abort(404)
    form = SavedCommentForm()
    if form.validate_on_submit():
        try:
            comment_bank.edit_comment(comment, form.text.data or "")
            db.session.commit()
        except comment_bank.CommentBankError as error:
            db.session.rollback()
            form.text.errors = [str(error)]
            return _bank_page(editing=comment_id, edit_form=form)
        flash(_("The comment is changed."), "success")
    return redirect(url_for("reviews.comment_bank_page"))


@blueprint.post("/comments/<int:comment_id>/delete")
def delete_saved_comment(comment_id: int):
    """Take one's own comment out of the bank; reviews it was inserted into keep their text."""
    _require_trainer()
    comment = comment_bank.saved_comment(current_user, comment_id) or abort(404)
    if DeleteSavedCommentForm().validate_on_submit():
        comment_bank.delete_comment(comment)
        db.session.commit()
        flash(_("The comment is deleted from your bank."), "success")
    return redirect(url_for("reviews.comment_bank_page"))


class ReviewParts(NamedTuple):
    title: str
    head: Markup
    attempt: Markup
    aside: Markup
    history: Markup  # below both columns, as wide as the page: the reviews' feedback can be long


def _review_parts(attempt: Attempt, attempts: list[Attempt]) -> ReviewParts:
    previous = next((a for a in attempts if a.number == attempt.number - 1), None)
    diff = services.text_diff(previous.text_md, attempt.text_md) if previous else None

    def part(name: str):
        return get_template_attribute("reviews/_parts.html", name)

    return ReviewParts(
        attempt.assignment_version.title,
        part("head")(attempt),
        part("attempt_text")(attempt, diff),
        part("aside")(attempt),
        part("history")(attempts),
    )
