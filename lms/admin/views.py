"""Admin pages for people (institutions have theirs in institutions.py, editions in their own package)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.access.checks import Action, require
from lms.accounts.models import Role, User
from lms.accounts.services import role_label
from lms.admin import services
from lms.admin.forms import PersonForm, ResetSecondFactorForm
from lms.extensions import db
from lms.forms import options
from lms.ids import requested_page
from lms.institutions.models import Institution
from lms.twofactor.services import confirmed_factor

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.get("/people/")
def people():
    """Everyone, searchable by name or e-mail, filterable by role, paged."""
    require(Action.ADMIN_AREA)
    query = request.args.get("q", "")[:100]
    role = request.args.get("role", "")
    page = requested_page(services.search_people(query, role))
    return render_template("admin/people.html", page=page, query=query, role=role, roles=list(Role))


@blueprint.route("/people/<int:person_id>/", methods=["GET", "POST"])
def person(person_id: int):
    """One person: name, roles, institution, access."""
    require(Action.ADMIN_AREA)
    person = db.get_or_404(User, person_id)
    form = PersonForm()
    form.roles.choices = options([(role.value, role_label(role)) for role in Role])
    form.institution.choices = options(
        [(0, _("— none —"))]
        + [(i.id, i.name) for i in db.session.scalars(select(Institution).order_by(Institution.name))]
    )
    if request.method == "GET":
        form.name.data = person.name
        form.roles.data = [role.value for role in person.roles]
        form.institution.data = person.institution_id or 0
        form.active.data = person.active
    if form.validate_on_submit():
        try:
            services.update_person(
                person,
                current_user,
                form.name.data,
                {Role(value) for value in form.roles.data},
                form.institution.data,
                form.active.data,
            )
        except services.PersonError as error:
            db.session.rollback()
            form.roles.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.person", person_id=person.id))
    return render_template(
        "admin/person.html",
        form=form,
        person=person,
        second_factor=confirmed_factor(person.id),
        reset_form=ResetSecondFactorForm(),
    )


@blueprint.post("/people/<int:person_id>/second-factor/reset")
def reset_second_factor(person_id: int):
    """Reset a person's two-step sign-in (a lost phone): they set it up again at their next sign-in."""
    require(Action.ADMIN_AREA)
    person = db.get_or_404(User, person_id)
    if ResetSecondFactorForm().validate_on_submit():
        if services.reset_second_factor(person, current_user):
            db.session.commit()
            flash(_("Two-step sign-in has been reset. The person sets it up again at the next sign-in."), "success")
        else:
            flash(_("This person has not set up two-step sign-in."), "info")
    return redirect(url_for("admin.person", person_id=person.id))
