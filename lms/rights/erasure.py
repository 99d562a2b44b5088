"""Erasure on request (RODO art. 17), carried out by an admin: one transaction, one audit event.

The account is closed and its name and e-mail become "Osoba usunięta #N" wherever the database held
them (every text and JSON column, so data other features copied is covered too); the files the person
uploaded are replaced by a tombstone that keeps their name, hash, size and date. Institution work,
reviews and certificates keep their history under the label; a certificate still verifies, without a name.
"""

import json

from sqlalchemy import JSON, Enum, String, Text, cast, delete, func, select, update

from lms import pagecache
from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.base import utcnow
from lms.extensions import db
from lms.learning.models import Attachment, StoredFile
from lms.privacy.models import Erasure, PurgedFile
from lms.privacy.services import erasure_label, was_erased
from lms.rights.retention import purge_file

# Tables that only let the person in, or hold a copy of their data: their rows go (named, not imported:
# some belong to higher layers).
_ACCESS_TABLES = ("sign_in", "api_token", "second_factor", "recovery_code", "data_export")


class ErasureError(ValueError):
    """An erasure that cannot be done; the message is for the admin."""


def erase(person: User, admin: User) -> str:
    """Erase ``person``'s data; returns their label. The caller commits (all of it or nothing)."""
    if person.id == admin.id:
        raise ErasureError("self")
    if was_erased(person.id):
        raise ErasureError("already")
    label, now = erasure_label(person.id), utcnow()
    for value in {person.name, person.email}:
        _replace_everywhere(value, label)
    db.session.expire_all()
    person = db.session.get(User, person.id)
    person.active = False
    person.password_hash = "!"  # matches no password
    person.email = f"usunieta-{person.id}@usunieta.invalid"  # unique, and no one's address
    for name in _ACCESS_TABLES:
        table = db.metadata.tables.get(name)
        if table is not None:
            db.session.execute(delete(table).where(table.c.user_id == person.id))
    purged = 0
    stored_ids = select(Attachment.stored_file_id).where(Attachment.uploaded_by_id == person.id)
    already = select(PurgedFile.stored_file_id)
    for stored in db.session.scalars(
        select(StoredFile).where(StoredFile.id.in_(stored_ids), StoredFile.id.not_in(already))
    ):
        purge_file(stored, "erasure", "żądanie usunięcia danych, art. 17 RODO", now)
        purged += 1
    db.session.add(Erasure(user_id=person.id, erased_at=now, erased_by_id=admin.id))
    record(admin, "person.erased", person, label=label, files_purged=purged)
    return label


def _replace_everywhere(value: str, label: str) -> None:
    """Replace ``value`` by ``label`` in every text column, and inside every JSON document."""
    if not value:
        return
    escaped = json.dumps(value)[1:-1]  # how a JSON column spells it (non-ASCII as \\uXXXX)
    for table in db.metadata.sorted_tables:
        if table.name == AuditEvent.__tablename__:
            # Append-only (a trigger refuses changes on PostgreSQL): its rows name people by id only, and
            # the person's row itself now carries the label.
            continue
        for column in table.columns:
            if isinstance(column.type, String | Text) and not isinstance(column.type, Enum) and not column.foreign_keys:
                db.session.execute(
                    update(table)
                    .where(column.contains(value, autoescape=True))
                    .values({column.name: func.replace(column, value, label)})
                )
            elif isinstance(column.type, JSON):
                as_text = cast(column, Text)
                matching = select(*table.primary_key.columns, column).where(
                    as_text.contains(value, autoescape=True) | as_text.contains(escaped, autoescape=True)
                )
                for row in db.session.execute(matching).all():
                    key = {c.name: row._mapping[c.name] for c in table.primary_key.columns}
                    cleaned = json.loads(json.dumps(row._mapping[column.name]).replace(escaped, label))
                    db.session.execute(update(table).filter_by(**key).values({column.name: cleaned}))


def after_commit() -> None:
    """Copies of pages computed before the erasure may show the name: drop them all."""
    pagecache.clear_all()
