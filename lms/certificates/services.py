"""Issuing, applying for, awarding and revoking certificates; verification and the registry."""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from lms import pagecache
from lms.accounts.models import User
from lms.audit.services import record
from lms.base import polish_today, utcnow
from lms.certificates import codes, lifecycle
from lms.certificates.checklist import institution_checklist, person_status
from lms.certificates.credential import issue_credential, revoke_credential
from lms.certificates.models import ApplicationStatus, Certificate, CertificateKind, CertificationApplication, kind_is
from lms.content.models import Programme
from lms.editions.dates import joined_on
from lms.editions.models import Edition
from lms.events.models import Event, Registration
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from lms.learning.models import Work
from lms.notifications.services import notify
from lms.privacy import services as privacy
from lms.urls import path_for


class CertificationError(ValueError):
    """A certification step the rules refuse; the message is for the user."""


def _valid_until(years: int | None) -> date | None:
    if not years:
        return None
    today = utcnow().date()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def issue_person_certificate_if_complete(work: Work, trainer: User) -> Certificate | None:
    """After an acceptance: issue the learner's certificate if that was the last required assignment.

    Runs inside the decision's transaction. The learner's row is locked first so that two
    acceptances racing on PostgreSQL are checked one after the other (SQLite already serialises
    writers); the unique index on (programme, holder) refuses a second certificate regardless.
    """
    if work.learner_id is None:
        return None
    return issue_person_certificate_for(work.learner_id, work.edition, trainer)


def issue_person_certificate_for(learner_id: int, edition, trainer: User) -> Certificate | None:
    """Issue the person certificate of the edition's programme if everything it requires is met (None: not yet,
    or already held). Called after an acceptance and, where attendance is required, after attendance is taken."""
    learner = db.session.scalar(select(User).where(User.id == learner_id).with_for_update())
    programme = db.session.get(Programme, edition.programme_id)
    status = person_status(learner, programme, edition.id)
    if status is None or status.certificate is not None or not status.complete:
        return None
    certificate = Certificate(
        kind=CertificateKind.PERSON,
        code=codes.new_code(),
        title=status.rule["title"],
        programme_id=programme.id,
        level=status.rule["level"],
        holder_id=learner.id,
        institution_id=learner.institution_id,
        edition_id=edition.id,
        issued_by_id=trainer.id,
        valid_until=_valid_until(status.rule.get("valid_years")),
        basis={
            "assignment_versions": [v.id for v in status.required],
            "module_versions": sorted({v.module_version_id for v in status.required}),
            "works": [status.works[v.assignment_id].id for v in status.required],
            **({"attended_hours": status.attendance.attended_hours} if status.attendance else {}),
        },
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None  # issued by a concurrent acceptance
    issue_credential(certificate)
    record(trainer, "certificate.issued", certificate, holder_id=learner.id, kind="person")
    with force_locale("pl"):
        notify(learner.id, _("You have earned: %(title)s", title=certificate.title), path_for("certificates.mine"))
    return certificate


def apply(institution: Institution, programme: Programme, coordinator: User) -> CertificationApplication:
    """The coordinator applies once every checklist item is met; the caller commits."""
    checklist = institution_checklist(institution, programme)
    if checklist is None:
        raise CertificationError(_("This programme has no institution certificate."))
    if not checklist.complete:
        raise CertificationError(_("The checklist is not complete yet: you can apply when every item is met."))
    if open_application(institution.id, programme.id) is not None:
        raise CertificationError(_("An application is already waiting for a decision."))
    held = checklist.certificate
    if held is not None and not lifecycle.renewable(held):
        raise CertificationError(
            _(
                "The institution holds this certificate: its renewal opens on %(date)s.",
                date=format_date(held.valid_until - lifecycle.renewal_window(held), "long")
                if held.valid_until
                else "—",
            )
        )
    application = CertificationApplication(
        institution_id=institution.id,
        programme_id=programme.id,
        applied_by_id=coordinator.id,
        checklist=checklist.snapshot(),
        renews_id=held.id if held else None,
    )
    db.session.add(application)
    record(coordinator, "certification.applied", application, institution_id=institution.id)
    return application


def open_application(institution_id: int, programme_id: int) -> CertificationApplication | None:
    """The application waiting for a decision, if any."""
    return db.session.scalar(
        select(CertificationApplication).where(
            CertificationApplication.institution_id == institution_id,
            CertificationApplication.programme_id == programme_id,
            CertificationApplication.status == ApplicationStatus.SUBMITTED,
        )
    )


def _decide(application: CertificationApplication, admin: User) -> None:
    if application.status is not ApplicationStatus.SUBMITTED:
        raise CertificationError(_("This application has already been decided."))
    application.decided_by_id = admin.id
    application.decided_at = utcnow()


@dataclass
class Visit:
    """The on-site visit (wizytacja) recorded with the award."""

    visit_on: date
    visitors: str
    findings: str


def _check_visit(application: CertificationApplication, visit: Visit) -> None:
    """The visit took place: not after today (the decision) and not before the institution began the programme.

    The lower bound is the start of the institution's first edition of the programme rather than the application
    date: a pre-certification visit may come before the coordinator applies in the app, but before the institution
    took part there was nothing of the programme to visit.
    """
    today = polish_today()
    if visit.visit_on > today:
        raise CertificationError(
            _(
                "The on-site visit must have taken place: its date cannot be after today (%(today)s).",
                today=format_date(today, "long"),
            )
        )
    began = joined_on(application.institution_id, application.programme_id)
    if began is not None and visit.visit_on < began:
        raise CertificationError(
            _(
                "The on-site visit cannot be before the institution began the programme (%(date)s).",
                date=format_date(began, "long"),
            )
        )


def award(application: CertificationApplication, admin: User, visit: Visit) -> Certificate:
    """Award the institution certificate after the visit; refused while the checklist is incomplete."""
    checklist = institution_checklist(application.institution, application.programme)
    if checklist is None or not checklist.complete:
        raise CertificationError(_("The checklist is not complete: the certificate cannot be awarded."))
    _check_visit(application, visit)
    _decide(application, admin)
    rule = application.programme.certificates["institution"]
    years = rule.get("valid_years")
    continued_until, continuous_since = lifecycle.continuation(application.renews, years, utcnow().date())
    certificate = Certificate(
        kind=CertificateKind.INSTITUTION,
        code=codes.new_code(),
        title=rule["title"],
        programme_id=application.programme_id,
        institution_id=application.institution_id,
        issued_by_id=admin.id,
        valid_until=continued_until or _valid_until(years),
        basis={"application": application.id, "checklist": checklist.snapshot()},
        renews_id=application.renews_id,
        continuous_since=continuous_since,
    )
    db.session.add(certificate)
    db.session.flush()
    issue_credential(certificate)
    application.status = ApplicationStatus.AWARDED
    application.certificate_id = certificate.id
    application.visit_on, application.visitors, application.findings = visit.visit_on, visit.visitors, visit.findings
    record(admin, "certification.awarded", application, certificate_id=certificate.id)
    pagecache.clear(pagecache.REGISTRY)  # the registry lists the new certificate from the next visit
    with force_locale("pl"):
        message = _(
            "%(institution)s has been awarded: %(title)s",
            institution=application.institution.name,
            title=certificate.title,
        )
    notify(
        application.applied_by_id,
        message,
        path_for("certificates.institution", institution_id=application.institution_id),
    )
    return certificate


def return_application(application: CertificationApplication, admin: User, feedback: str) -> None:
    """Return an application with feedback (required); the caller commits."""
    if not feedback.strip():
        raise CertificationError(_("Write feedback saying what the institution should improve."))
    _decide(application, admin)
    application.status = ApplicationStatus.RETURNED
    application.feedback = feedback.strip()
    record(admin, "certification.returned", application)
    with force_locale("pl"):
        notify(
            application.applied_by_id,
            _("The certification application was returned with feedback."),
            path_for("certificates.institution", institution_id=application.institution_id),
        )


def revoked_action(kind: CertificateKind) -> str:
    """The audit action of revoking a certificate of ``kind``: a person's zaświadczenie or an institution's
    Certyfikat, which the log names differently."""
    return "certification.revoked" if kind is CertificateKind.INSTITUTION else "certificate.revoked"


def revoke(certificate: Certificate, admin: User, reason: str) -> None:
    """Revoke a certificate; the reason (required) is shown on the public verification page."""
    if not reason.strip():
        raise CertificationError(_("Give the reason for revoking: it is shown on the verification page."))
    if certificate.revoked_at is not None:
        raise CertificationError(_("This certificate has already been revoked."))
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = admin.id
    revoke_credential(certificate)  # the status list shows it from this transaction's commit on
    record(admin, revoked_action(certificate.kind), certificate, reason=certificate.revoked_reason)
    pagecache.clear(pagecache.REGISTRY)


def state(certificate: Certificate) -> str:
    """``valid``, ``expired`` or ``revoked``."""
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.valid_until is not None and certificate.valid_until < utcnow().date():
        return "expired"
    return "valid"


def issuer(certificate: Certificate) -> str:
    """Who issues the certificate: its programme's organiser (programme.yaml), not the person who decided."""
    return certificate.programme.issuer["name"]


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone with the code may see. Deliberately small: every field here is public."""

    title: str
    programme: str
    issuer: str  # the programme's organiser
    level: int | None
    holder: str  # a person's name, or the institution's
    institution: str
    locality: str
    issued_on: date
    valid_until: date | None
    state: str
    revoked_reason: str
    code: str
    revoked_on: date | None = None
    continuous_since: date | None = None  # renewed in time: certified without a break since this day


def _holder(certificate: Certificate) -> str:
    """The holder's name, the institution's for its certificates; no name once the holder had their data erased."""
    if certificate.holder is None:
        return certificate.institution.name
    if privacy.was_erased(certificate.holder_id):
        return _("The holder asked for their personal data to be erased")
    return certificate.holder.name


def verify(typed_code: str) -> PublicCertificate | None:
    """The public facts of the certificate with this code, or None."""
    code = codes.normalise(typed_code)
    if code is None:
        return None
    certificate = db.session.scalar(
        select(Certificate)
        .where(Certificate.code == code)
        .options(joinedload(Certificate.holder), joinedload(Certificate.institution), joinedload(Certificate.programme))
    )
    if certificate is None:
        return None
    institution = certificate.institution
    return PublicCertificate(
        title=certificate.title,
        programme=certificate.programme.title,
        issuer=issuer(certificate),
        level=certificate.level,
        holder=_holder(certificate),
        institution=institution.name,
        locality=institution.gmina,
        issued_on=certificate.issued_at.date(),
        valid_until=certificate.valid_until,
        state=state(certificate),
        revoked_reason=certificate.revoked_reason,
        code=codes.readable(certificate.code),
        revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
        continuous_since=certificate.continuous_since,
    )


_successor = aliased(Certificate, name="successor")


def registry(voivodeship: str = "", kind: str = ""):
    """A select of valid institution certificates with their institutions, by institution name."""
    today = utcnow().date()
    statement = (
        select(Certificate)
        .join(Institution, Institution.id == Certificate.institution_id)
        .where(
            kind_is(CertificateKind.INSTITUTION),
            Certificate.revoked_at.is_(None),
            (Certificate.valid_until.is_(None)) | (Certificate.valid_until >= today),
            ~select(_successor.id)
            .where(_successor.renews_id == Certificate.id, _successor.revoked_at.is_(None))
            .exists(),  # while a renewal overlaps its predecessor, the registry lists the renewal only
        )
        .options(joinedload(Certificate.institution), joinedload(Certificate.programme))
        .order_by(Institution.name, Certificate.id)
    )
    if voivodeship in {v.value for v in Voivodeship}:
        statement = statement.where(Institution.voivodeship == Voivodeship(voivodeship))
    if kind in {k.value for k in InstitutionKind}:
        statement = statement.where(Institution.kind == InstitutionKind(kind))
    return statement


def issue_certificates_earned_by_attendance() -> int:
    """Issue person certificates that attendance completed (the last acceptance came before enough hours were
    attended). Run by ``flask jobs run``: the attendance page sits below certificates and cannot issue them."""
    requiring = [
        p.id
        for p in db.session.scalars(select(Programme))
        if ((p.certificates or {}).get("person") or {}).get("min_attendance_percent")
    ]
    if not requiring:
        return 0
    held = select(Certificate.holder_id).where(
        kind_is(CertificateKind.PERSON), Certificate.programme_id == Edition.programme_id
    )
    candidates = db.session.execute(
        select(Registration.user_id, Event.edition_id, func.max(Registration.attendance_marked_by_id))
        .join(Event, Event.id == Registration.event_id)
        .join(Edition, Edition.id == Event.edition_id)
        .where(
            Registration.attended.is_(True),
            Edition.programme_id.in_(requiring),
            Registration.user_id.not_in(held.correlate(Edition).scalar_subquery()),
        )
        .group_by(Registration.user_id, Event.edition_id)
        .order_by(Registration.user_id, Event.edition_id)
    ).all()
    issued = 0
    for user_id, edition_id, marked_by_id in candidates:
        trainer = db.session.get(User, marked_by_id)
        issued += issue_person_certificate_for(user_id, db.session.get(Edition, edition_id), trainer) is not None
    db.session.commit()
    return issued
