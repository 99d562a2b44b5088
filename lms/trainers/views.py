"""A trainer's own absences: mark one (their waiting work is handed on, new work skips them), see and withdraw them.
Admins mark and withdraw trainers' absences from lms/trainers/admin_views.py."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access.checks import Action, can, get_or_404, require
from lms.base import utcnow
from lms.extensions import db
from lms.learning import allocation
from lms.learning.allocation import TrainerAbsence
from lms.trainers import services
from lms.trainers.forms import AbsenceForm, ConfirmForm

blueprint = Blueprint("trainers", __name__, url_prefix="/trainers")


def save_absence(form: AbsenceForm, trainer, by) -> bool:
    """Mark the absence the form describes; flash what happened. False when the rules refuse it."""
    try:
        moved = allocation.mark_absence(trainer, form.starts_on.data, form.ends_on.data, form.reason.data or "", by)
    except allocation.AllocationError as error:
        db.session.rollback()
        form.ends_on.errors.append(str(error))
        return False
    db.session.commit()
    flash(_("Absence saved."), "success")
    if moved:
        flash(ngettext("%(num)s waiting work was handed to another trainer.",
                       "%(num)s waiting works were handed to other trainers.", moved), "info")  # fmt: skip
    return True


@blueprint.route("/absences/", methods=["GET", "POST"])
def my_absences():
    """The signed-in trainer's absences, and a form to mark a new one."""
    require(Action.MARK_ABSENCE)
    form = AbsenceForm()
    if form.validate_on_submit() and save_absence(form, current_user._get_current_object(), current_user):
        return redirect(url_for("trainers.my_absences"))
    absences = services.absences_of(current_user.id)
    return render_template(
        "trainers/my_absences.html",
        form=form,
        absences=absences,
        today=utcnow().date(),
        confirm_form=ConfirmForm(),
    )


@blueprint.post("/absences/<int:absence_id>/cancel")
def cancel_absence(absence_id: int):
    """Withdraw an absence that is not over yet; back to the page it was withdrawn from."""
    absence = get_or_404(TrainerAbsence, absence_id, Action.MARK_ABSENCE)
    trainer_id = absence.user_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if absence.ends_on < utcnow().date():
        flash(_("A past absence stays on record; it cannot be withdrawn."), "warning")
    else:
        allocation.cancel_absence(absence, current_user)
        db.session.commit()
        flash(_("Absence withdrawn: new work reaches this trainer again."), "success")
    if trainer_id != current_user.id and can(current_user, Action.ADMIN_AREA):
        return redirect(url_for("trainer_admin.absences", trainer_id=trainer_id))
    return redirect(url_for("trainers.my_absences"))
