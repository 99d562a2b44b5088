"""Certificate pages: mine, the institution's checklist, admin decisions, PDF, public verification and registry."""

import io
import json
from typing import NamedTuple

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select

from lms import pagecache
from lms.access.checks import Action, can, get_or_404, require, require_signed_in
from lms.base import utcnow
from lms.certificates import checklist as checklists
from lms.certificates import codes, pdf, services
from lms.certificates import registry as registry_history
from lms.certificates.forms import ApplyForm, AwardForm, ReturnForm, RevokeForm, VerifyCredentialForm
from lms.certificates.lifecycle import renewable
from lms.certificates.models import ApplicationStatus, Certificate, CertificationApplication
from lms.certificates.portfolio import portfolio_of
from lms.content.models import Programme
from lms.credentials import services as credentials
from lms.editions.models import Edition, edition_institution
from lms.extensions import db, limiter
from lms.i18n import translated
from lms.ids import page_arg
from lms.institutions.labels import KIND_LABELS, VOIVODESHIP_LABELS
from lms.institutions.models import Institution
from lms.learning.progress import enrolled_editions
from lms.urls import absolute_url

blueprint = Blueprint("certificates", __name__)

_STATE_LABELS = {"valid": _l("valid"), "expired": _l("expired"), "revoked": _l("revoked")}
_APPLICATION_LABELS = {
    ApplicationStatus.SUBMITTED: _l("waiting for a decision"),
    ApplicationStatus.RETURNED: _l("returned with feedback"),
    ApplicationStatus.AWARDED: _l("certificate awarded"),
}


@blueprint.app_template_global()
def certificate_state_label(state: str) -> str:
    """valid / expired / revoked in the user's language."""
    return translated(_STATE_LABELS)[state]


@blueprint.app_template_global()
def application_status_label(status) -> str:
    """An application's status in the user's language."""
    return translated(_APPLICATION_LABELS)[ApplicationStatus(status)]


@blueprint.get("/certificates/")
def mine():
    """The person's certificates and, before each is earned, exactly what is missing."""
    require_signed_in()
    held = db.session.scalars(
        select(Certificate).where(Certificate.holder_id == current_user.id).order_by(Certificate.issued_at)
    ).all()
    statuses = [
        (edition, checklists.person_status(current_user, edition.programme, edition.id))
        for edition in enrolled_editions(current_user)
    ]
    return render_template("certificates/mine.html", held=held, statuses=[s for s in statuses if s[1]])


# The programmes of the editions an institution takes part in, newest edition first (one row per
# edition: an institution may take part in two editions of a programme).
_INSTITUTION_PROGRAMMES = (
    select(Programme)
    .join(Edition, Edition.programme_id == Programme.id)
    .join(edition_institution, edition_institution.c.edition_id == Edition.id)
    .where(edition_institution.c.institution_id == bindparam("institution_id"))
    .order_by(Edition.starts_on.desc())
)


def _institution_programmes(institution: Institution) -> list[Programme]:
    programmes = db.session.scalars(_INSTITUTION_PROGRAMMES, {"institution_id": institution.id})
    return list({programme.id: programme for programme in programmes}.values())


class ChecklistCard(NamedTuple):
    """One programme's checklist as the certification page shows it: rendered, and what the page's
    own (per-viewer) parts need to know of it."""

    programme_id: int
    html: Markup
    held: bool
    complete: bool
    missing: int
    renewable: bool


def _checklist_cards(institution: Institution) -> tuple[ChecklistCard, ...]:
    cards = []
    for programme in _institution_programmes(institution):
        checklist = checklists.institution_checklist(institution, programme)
        if checklist is not None:
            html = Markup(render_template("certificates/_checklist_card.html", checklist=checklist))
            summary = (bool(checklist.certificate), checklist.complete, len(checklist.missing))
            cards.append(ChecklistCard(programme.id, html, *summary, renewable(checklist.certificate)))
    return tuple(cards)


@blueprint.get("/institutions/<int:institution_id>/certification/")
def institution(institution_id: int):
    """The live checklist for each programme the institution takes part in; the coordinator applies here."""
    institution = get_or_404(Institution, institution_id)
    cards = _checklist_cards(institution)
    applications = db.session.scalars(
        select(CertificationApplication)
        .where(CertificationApplication.institution_id == institution.id)
        .order_by(CertificationApplication.applied_at.desc())
    ).all()
    issued = db.session.scalars(
        select(Certificate)
        .where(Certificate.institution_id == institution.id, Certificate.holder_id.is_(None))
        .order_by(Certificate.issued_at.desc())
    ).all()
    return render_template(
        "certificates/institution.html",
        institution=institution,
        cards=cards,
        applications=applications,
        issued=issued,
        open_programmes={a.programme_id for a in applications if a.status is ApplicationStatus.SUBMITTED},
        may_apply=can(current_user, Action.COORDINATE, institution),
        form=ApplyForm(),
        state=services.state,
    )


@blueprint.post("/institutions/<int:institution_id>/certification/<int:programme_id>/apply")
def apply(institution_id: int, programme_id: int):
    """The coordinator applies for the institution certificate."""
    institution = get_or_404(Institution, institution_id, Action.COORDINATE)
    programme = db.session.get(Programme, programme_id) or abort(404)
    if programme not in _institution_programmes(institution):
        abort(404)
    if ApplyForm().validate_on_submit():
        try:
            services.apply(institution, programme, current_user)
            db.session.commit()
            flash(_("Application sent. The programme staff will arrange the on-site visit."), "success")
        except services.CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("certificates.institution", institution_id=institution.id))


@blueprint.get("/admin/certification/")
def applications():
    """Admins: applications waiting for a decision, then the decided ones."""
    require(Action.ADMIN_AREA)
    rows = db.session.scalars(
        select(CertificationApplication).order_by(
            (CertificationApplication.status == ApplicationStatus.SUBMITTED).desc(),
            CertificationApplication.applied_at.desc(),
        )
    ).all()
    return render_template("certificates/applications.html", applications=rows)


@blueprint.route("/admin/certification/<int:application_id>/", methods=["GET", "POST"])
def portfolio(application_id: int):
    """The institution's whole portfolio on one page; the admin awards or returns the application."""
    require(Action.ADMIN_AREA)
    application = db.get_or_404(CertificationApplication, application_id)
    award_form, return_form = AwardForm(), ReturnForm()
    if request.method == "POST":
        try:
            if award_form.award.data and award_form.validate_on_submit():
                visit = services.Visit(award_form.visit_on.data, award_form.visitors.data, award_form.findings.data)
                services.award(application, current_user, visit)
                db.session.commit()
                flash(_("Certificate awarded."), "success")
                return redirect(request.path)
            if return_form.return_.data and return_form.validate_on_submit():
                services.return_application(application, current_user, return_form.feedback.data or "")
                db.session.commit()
                flash(_("Application returned with feedback."), "success")
                return redirect(request.path)
        except services.CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
    return render_template(
        "certificates/portfolio.html",
        application=application,
        portfolio=portfolio_of(application),
        award_form=award_form,
        return_form=return_form,
    )


@blueprint.get("/certificates/<int:certificate_id>/pdf")
def download(certificate_id: int):
    """The certificate as an A4 PDF (holder, their coordinator, admins)."""
    certificate = get_or_404(Certificate, certificate_id)
    issued = credentials.credential_of(certificate.id)
    verify_url = absolute_url(url_for("certificates.verify_code", code=certificate.code))
    document = pdf.render(certificate, verify_url, issued.token if issued else None)
    filename = f"certyfikat-{codes.readable(certificate.code)}.pdf"
    return current_app.response_class(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


def _attachment(body, mimetype: str, filename: str):
    return current_app.response_class(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


@blueprint.get("/certificates/<int:certificate_id>/credential.<any(json, jwt):form>")
def credential(certificate_id: int, form: str):
    """The certificate's Open Badges credential: signed (VC-JWT) or as readable JSON (holder, coordinator, admins)."""
    certificate = get_or_404(Certificate, certificate_id)
    issued = credentials.credential_of(certificate.id) or abort(404)
    name = f"poswiadczenie-{codes.readable(certificate.code)}"
    if form == "jwt":
        return _attachment(issued.token, "application/vc+jwt", f"{name}.jwt")
    body = json.dumps(credentials.decoded(issued.token), ensure_ascii=False, indent=2)
    return _attachment(body, "application/json", f"{name}.json")


@blueprint.get("/certificates/<int:certificate_id>/qr.png")
def qr(certificate_id: int):
    """A QR code of the certificate's verification page, where its credential is checked (holder, coordinator, admins).

    The signed credential itself (over 3 KB) does not fit in a QR code (at most 2,953 bytes).
    """
    certificate = get_or_404(Certificate, certificate_id)
    image = io.BytesIO()
    pdf.qr_code(absolute_url(url_for("certificates.verify_code", code=certificate.code))).save(
        image, kind="png", scale=8, border=4
    )
    return _attachment(image.getvalue(), "image/png", f"qr-{codes.readable(certificate.code)}.png")


@blueprint.post("/certificates/<int:certificate_id>/revoke")
def revoke(certificate_id: int):
    """Admins revoke a certificate, giving a reason."""
    require(Action.ADMIN_AREA)
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(certificate, current_user, form.reason.data or "")
            db.session.commit()
            flash(_("Certificate revoked."), "success")
        except services.CertificationError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("certificates.verify_code", code=certificate.code))


def _verify_limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


@blueprint.get("/verify/")
@limiter.limit(_verify_limit)
def verify():
    """A form to type a code; with ?code= it shows the result."""
    typed = request.args.get("code", "").strip()[:64]
    if not typed:
        return render_template(
            "certificates/verify.html", result=None, typed="", credential_form=VerifyCredentialForm()
        )
    return _verification(typed)


@blueprint.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify_code(code: str):
    """The public verification page of one certificate."""
    return _verification(code[:64])


@blueprint.post("/verify/")
@limiter.limit(_verify_limit)
def verify_credential():
    """Check an uploaded or pasted credential: signature, validity dates, revocation status."""
    form = VerifyCredentialForm()
    check = None
    if form.validate_on_submit():
        text = (form.token.data or "").strip()
        upload = form.file.data
        if upload and upload.filename:
            text = upload.read(_MAX_CREDENTIAL_BYTES + 1).decode("utf-8", errors="replace")
        if len(text) > _MAX_CREDENTIAL_BYTES:
            form.file.errors.append(_("This file is too large to be a credential."))
        elif not text:
            form.token.errors.append(_("Choose a credential file or paste a credential."))
        else:
            check = credentials.verify_submitted(text)
    status = 200 if check is None or check.valid else 422
    return render_template("certificates/verify.html", result=None, typed="", credential_form=form, check=check), status


_MAX_CREDENTIAL_BYTES = 60_000


def _verification(typed: str):
    result = services.verify(typed)
    certificate_id = check = None
    if result is not None:
        certificate_id = db.session.scalar(select(Certificate.id).where(Certificate.code == codes.normalise(typed)))
        issued = credentials.credential_of(certificate_id)
        check = credentials.verify_online(issued.token) if issued else None  # as any verifier would check it
    revoke_form = RevokeForm() if result and can(current_user, Action.ADMIN_AREA) else None
    return render_template(
        "certificates/verify.html", result=result, typed=typed, revoke_form=revoke_form, certificate_id=certificate_id,
        credential_form=VerifyCredentialForm(), check=check,
    ), 200 if result else 404  # fmt: skip


@blueprint.get("/registry/")
def registry():
    """The public registry of institutions holding a valid Certyfikat, or its history (expired and revoked
    ones); a copy of at most five minutes, which an award or a revocation clears."""
    voivodeship = request.args.get("voivodeship", "")
    kind = request.args.get("kind", "")
    status = request.args.get("status", "")
    page_number = page_arg(request.args.get("page"))
    if voivodeship not in _VOIVODESHIPS or kind not in _KINDS or status not in _STATUSES:
        abort(404)
    # Certificates expire at midnight: a day's copies are never read the next day.
    key = (utcnow().date(), voivodeship, kind, status, page_number)
    page = pagecache.cached_page(
        pagecache.REGISTRY, key, lambda: _registry_content(voivodeship, kind, status, page_number)
    )
    if page is None:
        abort(404)
    return render_template("certificates/registry.html", content=Markup(page.body), computed_at=page.computed_at)


_VOIVODESHIPS = {""} | {value.value for value in VOIVODESHIP_LABELS}
_KINDS = {""} | {value.value for value in KIND_LABELS}
_STATUSES = {registry_history.VALID: _l("Valid today"), registry_history.HISTORY: _l("History: expired and revoked")}


def _registry_content(voivodeship: str, kind: str, status: str, page_number: int) -> str | None:
    """The registry's page, or None when there is no such page."""
    if status == registry_history.HISTORY:
        statement = registry_history.history(voivodeship, kind)
    else:
        statement = services.registry(voivodeship, kind)
    page = db.paginate(statement, page=page_number, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    if page_number > max(page.pages, 1):
        return None
    return render_template(
        "certificates/_registry.html",
        page=page,
        voivodeship=voivodeship,
        kind=kind,
        status=status,
        history=status == registry_history.HISTORY,
        continued_by=registry_history.continued_by(page.items) if status else {},
        voivodeships=VOIVODESHIP_LABELS,
        kinds=KIND_LABELS,
        statuses=_STATUSES,
        readable=codes.readable,
    )
