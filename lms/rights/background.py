"""Large personal-data exports, built by ``flask jobs run`` instead of while the person waits.

A person whose files add up to more than ``DATA_EXPORT_INLINE_BYTES`` asks for their data and gets a
pending export; the job builds the ZIP, stores it and tells them in a notification; their "My data" page
offers it for ``DATA_EXPORT_KEEP_DAYS`` days, after which the job deletes it. Smaller exports are built in
the request as before.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from lms.accounts.models import User
from lms.base import utcnow
from lms.extensions import db
from lms.learning.models import Attachment, StoredFile
from lms.notifications.services import notify
from lms.rights.export import export_zip
from lms.rights.models import DataExport
from lms.urls import path_for


def files_size(user: User) -> int:
    """Bytes of the files ``user`` uploaded (each stored file once): what makes an export large."""
    stored_ids = select(Attachment.stored_file_id).where(Attachment.uploaded_by_id == user.id)
    return db.session.scalar(select(func.coalesce(func.sum(StoredFile.size), 0)).where(StoredFile.id.in_(stored_ids)))


def too_large_to_wait(user: User) -> bool:
    return files_size(user) > current_app.config["DATA_EXPORT_INLINE_BYTES"]


def latest(user: User) -> DataExport | None:
    """The person's newest export still kept (pending or ready)."""
    return db.session.scalar(
        select(DataExport).where(DataExport.user_id == user.id).order_by(DataExport.id.desc()).limit(1)
    )


def request_export(user: User) -> DataExport:
    """Ask for the person's export to be built; asking again while one waits changes nothing. The caller commits."""
    waiting = latest(user)
    if waiting is not None and waiting.ready_at is None:
        return waiting
    export = DataExport(user_id=user.id)
    db.session.add(export)
    return export


def build_pending() -> int:
    """Build every pending export (each committed on its own, with its notification) and delete expired ones.
    Returns how many were built."""
    keep = timedelta(days=current_app.config["DATA_EXPORT_KEEP_DAYS"])
    db.session.execute(delete(DataExport).where(DataExport.ready_at < utcnow() - keep))
    db.session.commit()
    built = 0
    for export_id in db.session.scalars(
        select(DataExport.id).where(DataExport.ready_at.is_(None)).order_by(DataExport.id)
    ).all():
        export = db.session.get(DataExport, export_id)
        content = export_zip(db.session.get(User, export.user_id))  # audited as the person's export
        export.content, export.size, export.ready_at = content, len(content), utcnow()
        notify(export.user_id, _("Your data is ready to download."), path_for("rights.my_data"))
        db.session.commit()
        built += 1
    return built
