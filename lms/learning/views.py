"""The learner's side: a work page with history, drafts, attachments and submission; file downloads."""

from functools import cache

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.access.checks import Action, can, get_or_404, require, require_signed_in
from lms.base import utcnow
from lms.content.models import Assignment, AssignmentVersion, Module, ModuleVersion
from lms.content.spec import Scope
from lms.editions.models import Edition
from lms.extensions import db
from lms.i18n import translated
from lms.learning import access_log, confirmation, no_coordinator, personal_data, services
from lms.learning.downloads import send_stored_file
from lms.learning.files import CheckedFile, UploadRejected, check_upload
from lms.learning.forms import ConfirmDeliverableForm, DetachForm, WorkForm, draft_version_of
from lms.learning.history import work_history
from lms.learning.models import Attachment, Work, WorkStatus
from lms.learning.progress import MODULE_STATUS_LABELS, STATUS_LABELS
from lms.rendering import render_typed_markdown

blueprint = Blueprint("learning", __name__)
OPEN_STATES = (WorkStatus.DRAFT, WorkStatus.REVISION_REQUESTED)


@blueprint.app_template_global()
def status_labels() -> dict[str, str]:
    """Every work, module and decision status in the user's language (for tables: look up per cell)."""
    return translated(STATUS_LABELS)


@blueprint.app_template_global()
def status_label(status) -> str:
    """A work, module or decision status in the user's language."""
    return status_labels().get(str(status), str(status))


@blueprint.app_template_global()
def module_status_labels() -> dict[str, str]:
    """Every module status in the user's language, agreeing with the word "module"."""
    return translated(MODULE_STATUS_LABELS)


blueprint.add_app_template_global(utcnow, "utcnow")

# A status badge depends only on the status, the noun it is said of and the language: each is drawn once per
# language and process (a progress table has dozens).
_status_badges: dict[tuple[str, str], dict[str, Markup]] = {}


def _badges(noun: str, labels: dict) -> dict[str, Markup]:
    """The badge of every status in ``labels`` (lazy strings), as learning/_status.html draws it."""
    key = (noun, str(get_locale()))
    if key not in _status_badges:
        draw = get_template_attribute("learning/_status.html", "status_badge")
        translated_labels = translated(labels)
        _status_badges[key] = {status: Markup(draw(status, translated_labels[status])) for status in labels}
    return _status_badges[key]


@blueprint.app_template_global()
def status_badges() -> dict[str, Markup]:
    """The badge of every work and decision status, in the user's language."""
    return _badges("work", STATUS_LABELS)


@blueprint.app_template_global()
def module_status_badges() -> dict[str, Markup]:
    """The badge of every module status, in the user's language."""
    return _badges("module", MODULE_STATUS_LABELS)


def _own_work(edition_id: int, assignment_id: int) -> tuple[Work, AssignmentVersion]:
    """The signed-in person's work on an assignment of an edition (404 when it cannot be theirs), and the
    assignment's current version."""
    require_signed_in()
    found = db.session.execute(
        _edition_assignment_statement(), {"edition_id": edition_id, "assignment_id": assignment_id}
    ).first()
    if found is None or current_user.institution_id is None:
        abort(404)
    edition, assignment, version = found
    work = services.work_for(current_user, edition, assignment, version.scope)
    if not (can(current_user, Action.SUBMIT, work) or (work.id and can(current_user, Action.VIEW, work))):
        abort(404)
    return work, version


@cache
def _edition_assignment_statement() -> Select:
    """The edition, an assignment of its programme and that assignment's current version (as
    ``services.current_assignment_version`` finds it), in one statement built once: no row when any is
    missing."""
    return (
        select(Edition, Assignment, AssignmentVersion)
        .join(Assignment, Assignment.programme_id == Edition.programme_id)
        .join(AssignmentVersion, AssignmentVersion.assignment_id == Assignment.id)
        .join(ModuleVersion, ModuleVersion.id == AssignmentVersion.module_version_id)
        .join(Module, and_(Module.id == ModuleVersion.module_id, Module.current_version_id == ModuleVersion.id))
        .where(
            Edition.id == bindparam("edition_id"),
            Assignment.id == bindparam("assignment_id"),
            Module.retired.is_(False),
        )
    )


@blueprint.route("/editions/<int:edition_id>/assignments/<int:assignment_id>/", methods=["GET", "POST"])
def work(edition_id: int, assignment_id: int):
    """The learner's own work on an assignment: instructions, history, and the editor while open."""
    work, version = _own_work(edition_id, assignment_id)
    form = WorkForm()
    preview_html, stale, stale_files = None, None, []
    if request.method == "GET":
        form.text.data = services.editor_text(work, version)
        form.draft_version.data = str(work.draft_version or 0)
    elif form.validate_on_submit():
        require(Action.SUBMIT, work)
        based_on = draft_version_of(form)
        uploads: list[CheckedFile] = []
        try:
            uploads = _checked_uploads(form)
            for checked in uploads:
                services.attach(work, checked, current_user)
            if form.submit.data:
                text = form.text.data or ""
                findings = personal_data.findings_in_draft(work, text)
                reason = personal_data.keep_reason(form.keep_reason.data) if findings else None
                if findings and reason is None:  # warn first: the learner fixes it or says why it stays
                    services.save_draft(work, text, current_user, based_on)
                    db.session.commit()
                    form.draft_version.data = str(work.draft_version)
                    return _render(work, form, version, personal_data_findings=findings)
                attempt = services.submit(work, text, current_user, based_on)
                if findings:
                    personal_data.confirm_kept(attempt, findings, reason, current_user)
                db.session.commit()
                if work.status is WorkStatus.AWAITING_CONFIRMATION and not no_coordinator.has_coordinator(
                    work.institution_id
                ):
                    flash(_("Submitted, but %(name)s has no coordinator: nobody can confirm this deliverable on the "
                            "institution's behalf, so the trainers cannot see it yet. The programme staff have been "
                            "told; ask them to appoint a coordinator of your institution.",
                            name=work.institution.name), "warning")  # fmt: skip
                elif work.status is WorkStatus.AWAITING_CONFIRMATION:
                    flash(_("Submitted. Your coordinator has been asked to confirm it on the institution's behalf; "
                            "the trainers see it after that."), "success")  # fmt: skip
                else:
                    flash(_("Submitted. Your trainer has been told; you will be notified of the decision."), "success")
                return redirect(request.path)
            services.save_draft(work, form.text.data or "", current_user, based_on)
            db.session.commit()
            if form.preview.data:
                preview_html = render_typed_markdown(form.text.data or "")
                form.draft_version.data = str(work.draft_version)
            else:
                flash(_("Draft saved."), "success")
                return redirect(request.path)
        except services.StaleDraft as error:
            db.session.rollback()
            # The message shows above the editor and the saved text below it. With both texts on the
            # page, the next save knowingly replaces the saved one.
            stale = error
            form.draft_version.data = str(error.saved_version)
            # Files are not versioned like the text: the ones sent with the refused save join the draft,
            # rather than being lost with it.
            kept_files = _attach_after_refusal(work, uploads)
            if kept_files is None:
                form.files.errors.append(
                    _("The files you sent were not kept: the draft has no room for them. Send them again.")
                )
            else:
                stale_files = kept_files
        except services.SubmissionError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        except IntegrityError:
            db.session.rollback()
            form.text.errors.append(_("This attempt has already been submitted (perhaps from another window)."))
    return _render(work, form, version, preview_html, stale, stale_files=stale_files)


def _checked_uploads(form: WorkForm) -> list[CheckedFile]:
    """Every uploaded file, checked; one bad file refuses the whole request."""
    max_bytes = current_app.config["MAX_ATTACHMENT_BYTES"]
    checked = []
    for upload in form.files.data or []:
        if not getattr(upload, "filename", ""):
            continue  # the empty file input of a form sent without files
        try:
            checked.append(check_upload(upload.filename, upload.read(max_bytes + 1), max_bytes))
        except UploadRejected as error:
            raise services.SubmissionError(f"{upload.filename}: {error}") from error
    return checked


def _attach_after_refusal(work: Work, uploads: list[CheckedFile]) -> list[str] | None:
    """Attach the files of a refused (stale) save to the draft and commit: their names, or None if they
    no longer fit (the limit was checked before the refusal, but another tab may have added files since)."""
    try:
        for checked in uploads:
            services.attach(work, checked, current_user)
        db.session.commit()
    except services.SubmissionError:
        db.session.rollback()
        return None
    return [checked.filename for checked in uploads]


def _render(
    work: Work,
    form: WorkForm,
    version: AssignmentVersion | None,
    preview_html: str | None = None,
    stale: services.StaleDraft | None = None,
    **extra,
):
    may_submit = work.status in OPEN_STATES and can(current_user, Action.SUBMIT, work)
    # The draft's files, and the form that removes one, appear only beside the editor.
    draft_files = services.draft_attachments(work) if may_submit else []
    attempts = work_history(work.id) if work.id is not None else []
    return render_template(
        "learning/work.html",
        work=work,
        version=version,
        history=Markup(render_template("learning/_history.html", attempts=attempts)) if attempts else Markup(),
        # Read before writing: the trainer's request for revision stands above the editor too.
        revision_review=attempts[0].review
        if attempts and work.status is WorkStatus.REVISION_REQUESTED and may_submit
        else None,
        assignment=_assignment(version),
        form=form,
        detach_form=DetachForm() if draft_files else None,
        draft_files=draft_files,
        preview_html=preview_html,
        stale=stale,
        may_submit=may_submit,
        confirm_form=ConfirmDeliverableForm(formdata=None)
        if work.status is WorkStatus.AWAITING_CONFIRMATION and can(current_user, Action.COORDINATE, work)
        else None,
        # An institution deliverable with nobody to confirm it: the page says so and whom to ask.
        without_coordinator=work.scope is Scope.INSTITUTION
        and work.status in (*OPEN_STATES, WorkStatus.AWAITING_CONFIRMATION)
        and not no_coordinator.has_coordinator(work.institution_id),
        max_attachments=current_app.config["MAX_ATTACHMENTS"],
        max_characters=services.MAX_TEXT_LENGTH,
        max_megabytes=current_app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024),
        **extra,
    )


# An assignment version never changes once imported: its instructions and criteria are rendered once
# per process and language. Bounded by the course content (versions × languages).
_rendered_versions: dict[tuple[int, str], Markup] = {}


def _assignment(version: AssignmentVersion | None) -> Markup:
    """The version's instructions and criteria."""
    if version is None:
        return Markup()
    key = (version.id, str(get_locale()))
    if key not in _rendered_versions:
        _rendered_versions[key] = Markup(render_template("learning/_assignment.html", version=version))
    return _rendered_versions[key]


@blueprint.post("/editions/<int:edition_id>/assignments/<int:assignment_id>/files/<int:attachment_id>/remove")
def detach(edition_id: int, assignment_id: int, attachment_id: int):
    """Remove a file from the draft."""
    work, _version = _own_work(edition_id, assignment_id)
    require(Action.SUBMIT, work)
    if DetachForm().validate_on_submit():
        try:
            services.detach(work, attachment_id, current_user)
            db.session.commit()
        except services.SubmissionError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("learning.work", edition_id=edition_id, assignment_id=assignment_id))


@blueprint.post("/works/<int:work_id>/confirm")
def confirm(work_id: int):
    """A coordinator confirms their institution's submitted deliverable: then the trainers see it."""
    work = get_or_404(Work, work_id, Action.COORDINATE)
    form = ConfirmDeliverableForm()
    page = url_for("learning.work", edition_id=work.edition_id, assignment_id=work.assignment_id)
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm on behalf of the institution."), "error")
        return redirect(page)
    try:
        confirmation.confirm(work, current_user)
        db.session.commit()
    except confirmation.ConfirmationError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(page)
    flash(_("Confirmed on behalf of the institution. The trainers have been told."), "success")
    return redirect(page)


@blueprint.get("/works/<int:work_id>/")
def work_detail(work_id: int):
    """Anyone the policy lets see a work (coordinator, trainer, colleague): its history, read-only."""
    work = get_or_404(Work, work_id)
    version = services.current_assignment_version(work.assignment)
    if version is not None and can(current_user, Action.SUBMIT, work):
        # The owner's one work page (with the editor) is the same whichever link led here.
        return redirect(url_for("learning.work", edition_id=work.edition_id, assignment_id=work.assignment_id))
    access_log.work_viewed(current_user, work)
    return _render(work, WorkForm(formdata=None), version)


@blueprint.get("/files/<int:attachment_id>")
def download(attachment_id: int):
    """An attachment, always as a download (never rendered inline), to people who may see its work."""
    attachment = db.session.get(Attachment, attachment_id, options=[joinedload(Attachment.stored_file)])
    if attachment is None:
        abort(404)
    require(Action.VIEW, attachment)
    access_log.attachment_downloaded(current_user, attachment)
    return send_stored_file(attachment.stored_file, attachment.filename)
