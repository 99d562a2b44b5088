"""The trainer's side: the review queue and the review page."""

from typing import NamedTuple

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.models import Role
from lms.auth.policy import Action, can, get_or_404, require, require_signed_in
from lms.content.models import utcnow
from lms.content.spec import Scope
from lms.ids import MAX_ID, id_arg
from lms.learning.models import Attempt, WorkStatus
from lms.mail.services import commit_and_deliver
from lms.reviews import services
from lms.reviews.forms import review_form_for
from lms.reviews.models import Decision

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
    page = services.queue_page(current_user, filters, current_app.config["PAGE_SIZE"], counts[WorkStatus.SUBMITTED])
    return render_template(
        "reviews/queue.html",
        page=page,
        filters=filters,
        counts=counts,
        choices=services.filter_choices(current_user),
        conflicts=services.conflict_notes(current_user),
        rows=_queue_rows(page.items),
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
    # One url_for for the page, not one per row; the largest id cannot appear elsewhere in the URL.
    review_url = url_for("reviews.review", attempt_id=MAX_ID).replace(str(MAX_ID), "{}")
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


@blueprint.route("/attempts/<int:attempt_id>/", methods=["GET", "POST"])
def review(attempt_id: int):
    """One attempt with its history; the trainer judges each criterion and decides."""
    # The whole history first, in a fixed number of statements: get_or_404 then finds the attempt (and
    # the policy its work) already loaded, and asks the policy exactly as before.
    attempts = services.review_history(attempt_id)
    attempt = get_or_404(Attempt, attempt_id)
    work = attempt.work
    may_review = can(current_user, Action.REVIEW, work)
    criteria = attempt.assignment_version.criteria
    form = review_form_for(criteria)
    if request.method == "POST":
        require(Action.REVIEW, work)
        if form.validate_on_submit():
            judgements = [
                services.CriterionJudgement(c.id, form[f"met_{c.id}"].data == "met", form[f"comment_{c.id}"].data or "")
                for c in criteria
            ]
            decision = Decision.ACCEPTED if form.accept.data else Decision.REVISION_REQUESTED
            try:
                services.decide(attempt, current_user, judgements, form.feedback.data or "", decision)
                commit_and_deliver()
            except services.ReviewError as error:
                form.feedback.errors.append(str(error))
            else:
                flash(_("Decision saved: the learner has been notified."), "success")
                return redirect(url_for("reviews.queue"))
        attempts = services.review_history(attempt_id)  # a refused decision may have rolled the session back
    previous = next((a for a in attempts if a.number == attempt.number - 1), None)
    return render_template(
        "reviews/review.html",
        attempt=attempt,
        work=work,
        attempts=attempts,
        criteria=criteria,
        form=form,
        may_review=may_review and attempt.review is None and attempt.number == work.attempt_count,
        diff=services.text_diff(previous.text_md, attempt.text_md) if previous else None,
    )
