"""Institution pages: the admin list, create and edit, and each institution's own page with its staff and
editions (so they sit above accounts and editions, which build on institutions)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access.checks import Action, can, get_or_404, require
from lms.accounts.staff import staff_counts, staff_of
from lms.editions.services import editions_of
from lms.extensions import db
from lms.i18n import translated
from lms.ids import requested_page
from lms.institutions import services
from lms.institutions.forms import InstitutionForm
from lms.institutions.labels import KIND_LABELS, VOIVODESHIP_LABELS
from lms.institutions.models import Institution
from lms.learning import no_coordinator

blueprint = Blueprint("institutions", __name__, url_prefix="/institutions")


@blueprint.app_template_global()
def institution_kind_label(kind) -> str:
    return translated(KIND_LABELS)[kind]


@blueprint.app_template_global()
def voivodeship_label(voivodeship) -> str:
    return VOIVODESHIP_LABELS[voivodeship]


@blueprint.get("/")
def index():
    """Admins: every institution, searchable, paged."""
    require(Action.ADMIN_AREA)
    query = request.args.get("q", "")[:100]
    voivodeship = request.args.get("voivodeship", "")
    page = requested_page(services.search_institutions(query, voivodeship))
    counts = staff_counts([i.id for i in page.items])
    return render_template(
        "institutions/index.html",
        page=page,
        counts=counts,
        query=query,
        voivodeship=voivodeship,
        voivodeships=VOIVODESHIP_LABELS,
    )


@blueprint.route("/new", methods=["GET", "POST"])
def create():
    """Admins add an institution."""
    require(Action.ADMIN_AREA)
    form = InstitutionForm()
    if form.validate_on_submit():
        institution = services.save_institution(None, form.data, current_user)
        db.session.commit()
        flash(_("Institution saved."), "success")
        return redirect(url_for("institutions.show", institution_id=institution.id))
    return render_template("institutions/form.html", form=form, institution=None)


@blueprint.get("/<int:institution_id>/")
def show(institution_id: int):
    """An institution's page: details, staff and editions."""
    institution = get_or_404(Institution, institution_id)
    may_manage_people = can(current_user, Action.ADMIN_AREA)
    return render_template(
        "institutions/show.html",
        institution=institution,
        # Programme staff are warned when nobody can confirm the institution's deliverables, and appoint someone.
        uncoordinated=next(iter(no_coordinator.uncoordinated(institution_id=institution.id)), None)
        if may_manage_people
        else None,
        may_manage_people=may_manage_people,
        staff=staff_of(institution),
        editions=editions_of(institution),
        may_edit=can(current_user, Action.EDIT, institution),
        may_invite=can(current_user, Action.INVITE_STAFF, institution),
    )


@blueprint.route("/<int:institution_id>/edit", methods=["GET", "POST"])
def edit(institution_id: int):
    """Admins and the institution's coordinator edit its details."""
    institution = get_or_404(Institution, institution_id, Action.EDIT)
    form = InstitutionForm(obj=institution)
    if request.method == "GET":
        form.kind.data = institution.kind.value
        form.voivodeship.data = institution.voivodeship.value
    if form.validate_on_submit():
        services.save_institution(institution, form.data, current_user)
        db.session.commit()
        flash(_("Institution saved."), "success")
        return redirect(url_for("institutions.show", institution_id=institution.id))
    return render_template("institutions/form.html", form=form, institution=institution)
