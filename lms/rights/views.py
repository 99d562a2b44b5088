"""A person's data: the privacy notice, the download of all their data, the export's published schema."""

import io
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from lms.access.checks import Action, require, require_signed_in
from lms.accounts.models import Role, User
from lms.extensions import db
from lms.learning.models import Attempt
from lms.privacy import services as privacy
from lms.rendering import render_markdown
from lms.rights import background, erasure, redaction
from lms.rights.export import EXPORT_SCHEMA, export_zip
from lms.rights.forms import EraseForm, ExportForm, NoticeSeenForm, RedactForm
from lms.rights.models import DataExport

blueprint = Blueprint("rights", __name__)


@blueprint.app_template_global()
def redact_form() -> RedactForm | None:
    """The redaction form under an attempt on the review page, for admins only."""
    return RedactForm() if current_user.is_authenticated and current_user.has_role(Role.ADMIN) else None


@blueprint.app_template_global()
def erase_form() -> EraseForm:
    """The erasure form on an admin's person page (admin/person.html includes rights/_erase.html)."""
    return EraseForm()


@blueprint.app_template_global()
def privacy_notice_pending() -> NoticeSeenForm | None:
    """The form that closes the privacy notice, while the signed-in person has not closed it yet (read with
    the person by lms/auth/session.py; a person signed in otherwise, e.g. in tests, is asked here)."""
    if not current_user.is_authenticated:
        return None
    seen = getattr(current_user, "privacy_notice_seen", None)
    if seen is None:
        seen = db.session.scalar(select(privacy.notice_seen_of(current_user.id)))
    return None if seen else NoticeSeenForm()


@blueprint.post("/privacy/seen")
def notice_seen():
    """The person read the privacy notice: it is not shown again."""
    require_signed_in()
    if NoticeSeenForm().validate_on_submit():
        privacy.mark_notice_seen(current_user._get_current_object())
        db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("main.home"))


@blueprint.route("/privacy")
def notice():
    """The privacy notice (klauzula informacyjna), from the installation's Markdown file."""
    text = Path(current_app.config["PRIVACY_NOTICE_FILE"]).read_text(encoding="utf-8")
    return render_template("rights/notice.html", notice=Markup(render_markdown(text)))


@blueprint.route("/my-data", methods=["GET", "POST"])
def my_data():
    """What the platform keeps about the signed-in person, and the download of all of it."""
    require_signed_in()
    form = ExportForm()
    if form.validate_on_submit():
        if background.too_large_to_wait(current_user):
            background.request_export(current_user)
            db.session.commit()
            flash(_("Your data is being prepared. You will be notified when it is ready to download."), "success")
            return redirect(url_for("rights.my_data"))
        content = export_zip(current_user)
        db.session.commit()  # the export is audited
        return send_file(
            io.BytesIO(content),
            mimetype="application/zip",
            as_attachment=True,
            download_name=f"akademia-cal-moje-dane-{current_user.id}.zip",
            max_age=0,
        )
    return render_template("rights/my_data.html", form=form, title=_("My data"), export=background.latest(current_user))


@blueprint.get("/my-data/exports/<int:export_id>.zip")
def download_export(export_id: int):
    """A ZIP built in the background, to the person whose data it holds only."""
    require_signed_in()
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != current_user.id or export.content is None:
        abort(404)
    return send_file(
        io.BytesIO(export.content),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"akademia-cal-moje-dane-{current_user.id}.zip",
        max_age=0,
    )


@blueprint.route("/my-data/schema/v1.json")
def export_schema():
    """The JSON Schema of data.json in the export (public: it describes the format, holds no data)."""
    return Response(EXPORT_SCHEMA.read_text(encoding="utf-8"), mimetype="application/schema+json")


@blueprint.post("/admin/people/<int:person_id>/erase")
def erase(person_id: int):
    """An admin carries out a person's request for erasure (RODO art. 17)."""
    require(Action.ADMIN_AREA)
    person = db.get_or_404(User, person_id)
    form = EraseForm()
    back = redirect(url_for("admin.person", person_id=person.id))
    if not (form.validate_on_submit() and form.confirm.data):
        flash(_("Tick the confirmation to erase this person's data."), "error")
        return back
    try:
        label = erasure.erase(person, current_user)
    except erasure.ErasureError as error:
        db.session.rollback()
        messages = {
            "self": _("You cannot erase your own account; ask another admin."),
            "already": _("This person's data has already been erased."),
        }
        flash(messages[str(error)], "error")
        return back
    db.session.commit()
    erasure.after_commit()
    flash(_("The data was erased. The person is now shown as %(label)s.", label=label), "success")
    return back


@blueprint.post("/admin/attempts/<int:attempt_id>/redact")
def redact(attempt_id: int):
    """An admin removes a passage of an attempt's text, with a reason (audited)."""
    require(Action.ADMIN_AREA)
    attempt = db.get_or_404(Attempt, attempt_id)
    form = RedactForm()
    if form.validate_on_submit():
        try:
            redaction.redact(attempt, form.passage.data or "", form.reason.data or "", current_user)
        except redaction.RedactionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The passage was removed from the attempt."), "success")
    return redirect(url_for("reviews.review", attempt_id=attempt.id) + "#redact")
