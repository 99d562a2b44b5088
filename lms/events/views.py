"""Event pages: an edition's events, one event (places, registration), scheduling, attendance, calendars."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.access.checks import Action, can, get_or_404, require_signed_in
from lms.access.roles import Role
from lms.accounts.models import User
from lms.base import utcnow
from lms.content.models import Module
from lms.editions.models import Edition
from lms.events import attendance, calendars, places, services
from lms.events.forms import KIND_LABELS, ConfirmForm, EventForm, RegisterForm, WithdrawForm
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.i18n import translated
from lms.ids import requested_rows
from lms.institutions.models import Institution
from lms.urls import absolute_url

blueprint = Blueprint("events", __name__)


@blueprint.app_template_global()
def event_kind_label(kind) -> str:
    """Training session / study visit / … in the user's language."""
    return translated(KIND_LABELS).get(kind, str(kind))


@blueprint.app_template_filter()
def hours(value) -> str:
    """Hours as the locale writes them: 16, 12,5."""
    return format_decimal(value, format="#,##0.#")


@blueprint.app_template_global()
def teaching_hours(value) -> str:
    """ "8 godzin dydaktycznych", "1 godzina …", "2 godziny …"; a fraction takes the genitive singular in Polish
    ("1,5 godziny dydaktycznej"), which no plural form gives, hence its own message."""
    if float(value).is_integer():
        whole = int(value)
        return ngettext("%(num)s teaching hour", "%(num)s teaching hours", whole)
    return _("%(hours)s teaching hours", hours=hours(value))


@blueprint.app_template_global()
def missing_training_hours(value) -> str:
    """ "Do odbycia zostały jeszcze 4 godziny szkoleń": the verb and the noun agree with the number (a fraction
    again has its own message, as in ``teaching_hours``)."""
    if float(value).is_integer():
        whole = int(value)
        return ngettext("%(num)s more hour of training to attend.", "%(num)s more hours of training to attend.", whole)
    return _("%(hours)s more hours of training to attend.", hours=hours(value))


def _modules(edition: Edition):
    rows = db.session.execute(
        select(Module, Module.slug)
        .where(Module.programme_id == edition.programme_id, Module.retired.is_(False))
        .order_by(Module.level_number, Module.position)
    ).all()
    return [(module, module.current_version.title if module.current_version else slug) for module, slug in rows]


@blueprint.get("/editions/<int:edition_id>/events/")
def index(edition_id: int):
    """The edition's events in time order."""
    edition = get_or_404(Edition, edition_id)
    upcoming, past = upcoming_and_past(services.events_of(edition.id))
    return render_template(
        "events/index.html",
        edition=edition,
        events=upcoming,
        past_events=past,
        may_schedule=can(current_user, Action.SCHEDULE, edition),
    )


@blueprint.route("/editions/<int:edition_id>/events/new", methods=["GET", "POST"])
def create(edition_id: int):
    """A trainer of the edition (or an admin) schedules an event."""
    edition = get_or_404(Edition, edition_id, Action.SCHEDULE)
    form = EventForm(edition, _modules(edition))
    if form.validate_on_submit():
        try:
            event = services.create_event(edition, form.data_for_service(), current_user)
            db.session.commit()
        except services.EventError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(str(error))
        else:
            flash(_("Event scheduled."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", edition=edition, form=form, event=None)


@blueprint.get("/events/<int:event_id>/")
def show(event_id: int):
    """One event: when, where, agenda, places; registration for coordinators, the list for trainers."""
    event = get_or_404(Event, event_id)
    may_register = can(current_user, Action.REGISTER_STAFF, event) and not event.cancelled
    trains = can(current_user, Action.EDIT, event)
    sees_all = trains or current_user.has_role(Role.ADMIN)
    counts = places.place_counts(event.id)
    registrations = None
    if sees_all:
        listed = counts[RegistrationStatus.REGISTERED] + counts[RegistrationStatus.WAITING]
        registrations = requested_rows(places.registrations_of(event.id), total=listed)
    elif current_user.institution_id:
        registrations = requested_rows(places.registrations_of(event.id, current_user.institution_id))
    staff = places.registrable_staff(event, current_user.institution_id) if may_register else []
    # A learner's own place, or how to get one: coordinators register staff, nobody registers themselves.
    learner = not sees_all and not may_register and not event.cancelled
    own_place = places.place_of(event.id, current_user.id) if learner else None
    # By name, not through the relationships: whether the trainer is already loaded (the signed-in person)
    # must not change how many statements the page runs.
    trainer_name, host_name = db.session.execute(
        select(
            select(User.name).where(User.id == event.trainer_id).scalar_subquery(),
            select(Institution.name).where(Institution.id == event.host_institution_id).scalar_subquery(),
        )
    ).one()
    return render_template(
        "events/show.html",
        event=event,
        trainer_name=trainer_name,
        host_name=host_name,
        taken=counts[RegistrationStatus.REGISTERED],
        registrations=registrations,
        sees_all=sees_all,
        may_edit=trains and not event.cancelled,
        may_take_attendance=can(current_user, Action.TAKE_ATTENDANCE, event) and not event.cancelled,
        may_register=may_register,
        learner=learner,
        own_place=own_place,
        over=event.ends_at <= utcnow(),
        register_form=RegisterForm(staff) if staff else None,
        confirm_form=ConfirmForm(),
        RegistrationStatus=RegistrationStatus,
    )


@blueprint.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Change or move an event; a move tells the participants."""
    event = get_or_404(Event, event_id, Action.EDIT)
    if event.cancelled:
        abort(409)
    form = EventForm(event.edition, _modules(event.edition))
    if request.method == "GET":
        form.fill_from(event)
    if form.validate_on_submit():
        try:
            moved = services.change_event(event, form.data_for_service(), current_user)
            db.session.commit()
        except services.EventError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(str(error))
        else:
            flash(_("Event moved. The participants have been notified.") if moved else _("Event saved."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", edition=event.edition, form=form, event=event)


@blueprint.post("/events/<int:event_id>/cancel")
def cancel(event_id: int):
    """Cancel an event; the participants are told."""
    event = get_or_404(Event, event_id, Action.EDIT)
    if ConfirmForm().validate_on_submit() and services.cancel_event(event, current_user):
        db.session.commit()
        flash(_("Event cancelled. The participants have been notified."), "success")
    return redirect(url_for("events.show", event_id=event.id))


@blueprint.post("/events/<int:event_id>/register")
def register(event_id: int):
    """A coordinator of a participating institution registers one of their staff; a full event puts them on the
    waiting list."""
    event = get_or_404(Event, event_id, Action.REGISTER_STAFF)
    form = RegisterForm(places.registrable_staff(event, current_user.institution_id))
    if not form.validate_on_submit():
        flash(_("Choose a person from your institution."), "danger")
        return redirect(url_for("events.show", event_id=event.id))
    person = db.session.get(User, form.person.data)
    try:
        registration = places.register(event, person, current_user)
        db.session.commit()
    except places.PlaceError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            flash(_("%(name)s is registered.", name=person.name), "success")
        else:
            flash(_("The event is full: %(name)s is on the waiting list.", name=person.name), "warning")
    return redirect(url_for("events.show", event_id=event.id))


@blueprint.route("/events/<int:event_id>/registrations/<int:registration_id>/withdraw", methods=["GET", "POST"])
def withdraw(event_id: int, registration_id: int):
    """A coordinator gives up a place of their staff, after confirming it on this page; the first one waiting
    gets the place."""
    registration = get_or_404(Registration, registration_id, Action.REGISTER_STAFF)
    if registration.event_id != event_id:
        abort(404)
    back = redirect(url_for("events.show", event_id=event_id))
    if registration.status == RegistrationStatus.WITHDRAWN:
        flash(_("This registration has already been withdrawn."), "info")
        return back
    form = WithdrawForm()
    if form.validate_on_submit():
        places.withdraw(registration, current_user)
        db.session.commit()
        flash(_("Registration withdrawn."), "success")
        return back
    return render_template("events/withdraw.html", form=form, event=registration.event, registration=registration)


@blueprint.route("/events/<int:event_id>/attendance", methods=["GET", "POST"])
def take_attendance(event_id: int):
    """The phone-sized list (the edition's trainers, admins): present or absent for each participant."""
    event = get_or_404(Event, event_id, Action.TAKE_ATTENDANCE)
    form = ConfirmForm()
    if form.validate_on_submit():
        marks = {}
        for key, value in request.form.items():
            if key.startswith("present-") and key[8:].isdigit() and value in ("1", "0"):
                marks[int(key[8:])] = value == "1"
        try:
            attendance.take_attendance(event, marks, current_user)
            db.session.commit()
        except attendance.AttendanceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(_("Attendance saved."), "success")
            return redirect(url_for("events.take_attendance", event_id=event.id))
    return render_template(
        "events/attendance.html",
        event=event,
        participants=attendance.participants_for_attendance(event.id),
        form=form,
    )


@blueprint.get("/events/<int:event_id>/event.ics")
def event_ics(event_id: int):
    """The event as an iCalendar file."""
    event = get_or_404(Event, event_id)
    return Response(
        calendars.event_ics(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="wydarzenie-{event.id}.ics"'},
    )


def upcoming_and_past(events: list) -> tuple[list, list]:
    """Events in time order split into those not yet over (soonest first) and past ones (latest first), so
    that a list leads with what is ahead."""
    now = utcnow()
    return [e for e in events if e.ends_at >= now], [e for e in reversed(events) if e.ends_at < now]


@blueprint.route("/calendar/", methods=["GET", "POST"])
def my_calendar():
    """The person's events and their private feed URL; POST resets the secret."""
    require_signed_in()
    form = ConfirmForm()
    if form.validate_on_submit():
        calendars.reset_token(current_user)
        db.session.commit()
        flash(_("A new calendar address has been made. The old one no longer works."), "success")
        return redirect(url_for("events.my_calendar"))
    token = calendars.token_of(current_user)
    db.session.commit()
    upcoming, past = upcoming_and_past(calendars.feed_events(current_user.id))
    return render_template(
        "events/calendar.html",
        events=upcoming,
        past_events=past,
        due=calendars.due_modules(current_user),
        feed_url=absolute_url(url_for("events.feed", token=token)),
        form=form,
    )


@blueprint.get("/calendar/<token>.ics")
def feed(token: str):
    """A person's private feed, opened by the secret in its URL (calendar programs send no cookies)."""
    person = calendars.owner_of(token)
    if person is None:
        abort(404)
    return Response(calendars.feed_ics(person), mimetype="text/calendar")
