"""Admin pages for trainer allocation: every edition's trainers side by side (load and waiting times), an edition's
shares and waiting works (reassigned by hand, audited), and a trainer's absences."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access.checks import Action, require
from lms.accounts.models import User
from lms.base import utcnow
from lms.editions.models import Edition
from lms.extensions import db
from lms.learning import allocation, workload
from lms.learning.models import Work, WorkStatus
from lms.trainers import services
from lms.trainers.forms import AbsenceForm, ConfirmForm, ReassignForm, shares_form
from lms.trainers.views import save_absence

blueprint = Blueprint("trainer_admin", __name__, url_prefix="/admin/trainers")


@blueprint.get("/")
def overview():
    """All trainers of each edition side by side: share, absence, waiting works, the oldest's age, decisions."""
    require(Action.ADMIN_AREA)
    now = utcnow()
    return render_template(
        "trainers/overview.html",
        editions=workload.edition_loads(now.date()),
        now=now,
        window=workload.DECIDED_WINDOW_DAYS,
    )


@blueprint.route("/editions/<int:edition_id>/", methods=["GET", "POST"])
def edition(edition_id: int):
    """An edition's trainers with their declared shares (a form), and its waiting works with whose turn each is."""
    require(Action.ADMIN_AREA)
    edition = db.get_or_404(Edition, edition_id)
    trainers = services.edition_trainers(edition)
    form = shares_form(trainers, services.shares_of(edition))
    if form.validate_on_submit():
        shares = {t.id: form[f"share-{t.id}"].data for t in trainers}
        allocation.set_shares(edition, shares, current_user)
        db.session.commit()
        flash(_("Shares saved: new work follows them."), "success")
        return redirect(url_for("trainer_admin.edition", edition_id=edition.id))
    works, total = services.waiting_works(edition)
    reassign_forms = {work.work_id: ReassignForm(services.candidates_for(work, trainers), prefix=f"w{work.work_id}")
                      for work in works}  # fmt: skip
    return render_template(
        "trainers/edition.html",
        edition=edition,
        trainers=trainers,
        form=form,
        works=works,
        total=total,
        reassign_forms=reassign_forms,
        now=utcnow(),
    )


@blueprint.post("/works/<int:work_id>/reassign")
def reassign(work_id: int):
    """Hand one waiting work to another trainer of its edition (never one of its own institution); audited."""
    require(Action.ADMIN_AREA)
    work = db.get_or_404(Work, work_id)
    back = redirect(url_for("trainer_admin.edition", edition_id=work.edition_id))
    if work.status != WorkStatus.SUBMITTED:
        flash(_("This work no longer waits for a decision."), "warning")
        return back
    form = ReassignForm(services.candidates_for(work, services.edition_trainers(work.edition)), prefix=f"w{work.id}")
    if not form.validate_on_submit():
        flash(_("Choose a trainer of this edition to hand the work to."), "danger")
        return back
    trainer = db.session.get(User, form.trainer.data)
    if trainer is None:
        flash(_("Choose a trainer of this edition to hand the work to."), "danger")
        return back
    try:
        allocation.reassign(work, trainer, current_user)
    except allocation.AllocationError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return back
    db.session.commit()
    flash(_("The work was handed to %(name)s.", name=trainer.name), "success")
    return back


@blueprint.route("/<int:trainer_id>/absences/", methods=["GET", "POST"])
def absences(trainer_id: int):
    """A trainer's absences: an admin marks one for them (e.g. sick leave) or withdraws one."""
    require(Action.ADMIN_AREA)
    trainer = db.get_or_404(User, trainer_id)
    if not services.is_trainer(trainer):
        abort(404)
    form = AbsenceForm()
    if form.validate_on_submit() and save_absence(form, trainer, current_user):
        return redirect(url_for("trainer_admin.absences", trainer_id=trainer.id))
    return render_template(
        "trainers/absences.html",
        trainer=trainer,
        form=form,
        absences=services.absences_of(trainer.id),
        today=utcnow().date(),
        confirm_form=ConfirmForm(),
    )
