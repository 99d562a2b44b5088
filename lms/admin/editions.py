"""Edition pages: lists, create and edit (admins), enrolment (coordinators), each edition's page (above
learning, as enrolling also stores what the new people have already completed)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from lms.access.checks import Action, can, get_or_404, require, require_signed_in
from lms.accounts.models import User
from lms.content import services as content
from lms.content.models import Programme
from lms.editions import deadlines, services
from lms.editions.forms import DeadlinesForm, EditionForm, EnrolForm
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.forms import options
from lms.ids import requested_page
from lms.institutions.models import Institution
from lms.learning import enrolment, no_coordinator
from lms.learning.progress import ACCEPTED, edition_progress

blueprint = Blueprint("editions", __name__, url_prefix="/editions")


@blueprint.get("/")
def index():
    """The editions the signed-in person may see (all of them for admins)."""
    require_signed_in()
    is_admin = can(current_user, Action.ADMIN_AREA)
    page = requested_page(services.visible_editions(current_user, is_admin))
    return render_template("editions/index.html", page=page, is_admin=is_admin)


def _edition_form(edition: Edition | None) -> EditionForm:
    form = EditionForm(obj=edition)
    form.programme.choices = options(
        [(p.id, p.title) for p in db.session.scalars(select(Programme).order_by(Programme.title))]
    )
    form.trainers.choices = options([(t.id, t.name) for t in services.trainer_choices()])
    form.institutions.choices = options(
        [(i.id, f"{i.name} ({i.gmina})") for i in db.session.scalars(select(Institution).order_by(Institution.name))]
    )
    if edition is not None and request.method == "GET":
        form.programme.data = edition.programme_id
        form.voivodeship.data = edition.voivodeship.value
        form.trainers.data = [t.id for t in edition.trainers]
        form.institutions.data = [i.id for i in edition.institutions]
    return form


@blueprint.route("/new", methods=["GET", "POST"])
def create():
    """Admins start an edition."""
    require(Action.ADMIN_AREA)
    form = _edition_form(None)
    if form.validate_on_submit() and (saved := _save(form, None)):
        return saved
    return render_template("editions/form.html", form=form, edition=None)


@blueprint.route("/<int:edition_id>/edit", methods=["GET", "POST"])
def edit(edition_id: int):
    """Admins change an edition, its trainers and institutions."""
    edition = get_or_404(Edition, edition_id, Action.EDIT)
    form = _edition_form(edition)
    if form.validate_on_submit() and (saved := _save(form, edition)):
        return saved
    return render_template("editions/form.html", form=form, edition=edition)


def _save(form, edition: Edition | None):
    """Save the form's edition and redirect to it, or put the broken rule's message beside its field (None)."""
    try:
        edition = services.save_edition(edition, form.data, current_user)
    except services.EditionError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(str(error))
        return None
    db.session.commit()
    flash(_("Edition saved."), "success")
    return redirect(url_for("editions.show", edition_id=edition.id))


def _visible_enrolments(edition: Edition):
    """Admins and the edition's trainers see everyone; a coordinator their staff; an animator themselves."""
    if can(current_user, Action.ADMIN_AREA) or current_user.id in {t.id for t in edition.trainers}:
        return services.enrolled_people(edition)
    if can(current_user, Action.ENROL, edition):
        return services.enrolled_people(edition, institution_id=current_user.institution_id)
    return services.enrolled_people(edition, user_id=current_user.id)


def _overdue_for_viewer(edition: Edition, due: dict) -> set[int]:
    """The modules whose due date passed before the viewer's work on them was accepted (an enrolled learner's
    own and their institution's work; nobody else's work is theirs to be late with)."""
    enrolled = select(Enrolment.id).where(Enrolment.edition_id == edition.id, Enrolment.user_id == current_user.id)
    if not due or not current_user.is_authenticated or db.session.scalar(enrolled) is None:
        return set()
    progress = edition_progress(current_user, edition)
    return {
        state.module.id
        for level in progress.levels
        for state in level.modules
        if deadlines.is_overdue(due.get(state.module.id), state.status == ACCEPTED, state.module.counted)
    }


@blueprint.get("/<int:edition_id>/")
def show(edition_id: int):
    """An edition: programme modules, trainers, institutions and enrolled animators."""
    edition = get_or_404(Edition, edition_id)
    due = deadlines.due_dates(edition.id)
    return render_template(
        "editions/show.html",
        overdue=_overdue_for_viewer(edition, due),
        edition=edition,
        outline=content.programme_outline(edition.programme),
        enrolments=_visible_enrolments(edition),
        due=due,
        may_edit=can(current_user, Action.EDIT, edition),
        may_enrol=can(current_user, Action.ENROL, edition),
        may_schedule=can(current_user, Action.SCHEDULE, edition),
        uncoordinated=no_coordinator.uncoordinated(edition_id=edition.id)
        if can(current_user, Action.ADMIN_AREA)
        else [],
    )


@blueprint.route("/<int:edition_id>/deadlines", methods=["GET", "POST"])
def module_deadlines(edition_id: int):
    """The edition's trainers (or an admin) set or clear the due date of each module; nothing is saved when
    one date is wrong."""
    edition = get_or_404(Edition, edition_id, Action.SCHEDULE)
    modules = deadlines.edition_modules(edition)
    form = DeadlinesForm.for_modules(modules, edition.starts_on, edition.ends_on)
    if request.method == "GET":
        for module in modules:
            form[f"module-{module.id}"].data = module.due_on
    if form.validate_on_submit():
        wanted = {module.id: form[f"module-{module.id}"].data for module in modules}
        try:
            changed = deadlines.save_deadlines(edition, wanted, current_user)
        except deadlines.DeadlineError as error:
            db.session.rollback()
            for module_id, message in error.errors.items():
                form[f"module-{module_id}"].errors.append(message)
        else:
            db.session.commit()
            if changed:
                flash(ngettext("Saved %(num)s due date.", "Saved %(num)s due dates.", changed), "success")
            else:
                flash(_("No due date has changed."), "info")
            return redirect(url_for("editions.show", edition_id=edition.id))
    levels = {level.number: level.title for level in edition.programme.levels}
    return render_template("editions/deadlines.html", form=form, edition=edition, modules=modules, levels=levels)


@blueprint.route("/<int:edition_id>/enrol", methods=["GET", "POST"])
def enrol(edition_id: int):
    """Coordinators enrol their own staff; admins any staff of the participating institutions."""
    edition = get_or_404(Edition, edition_id, Action.ENROL)
    if can(current_user, Action.ADMIN_AREA):
        allowed = [i.id for i in edition.institutions]
    else:
        allowed = [current_user.institution_id]
    candidates = services.enrollable_people(edition, allowed)
    form = EnrolForm()
    form.people.choices = options([(p.id, f"{p.name} ({p.email})") for p in candidates])
    if form.validate_on_submit():
        if not form.people.data:
            form.people.errors.append(_("Choose at least one person."))
        else:
            people = db.session.scalars(select(User).where(User.id.in_(form.people.data))).all()
            try:
                count = enrolment.enrol(edition, people, current_user, allowed)
            except services.EnrolmentError as error:
                db.session.rollback()
                form.people.errors.append(str(error))
            else:
                db.session.commit()
                flash(ngettext("Enrolled %(num)s person.", "Enrolled %(num)s people.", count), "success")
                return redirect(url_for("editions.show", edition_id=edition.id))
    return render_template("editions/enrol.html", form=form, edition=edition, candidates=candidates)
