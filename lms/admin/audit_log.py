"""Reading the audit log: who did or saw what, when; filtered, and limited to what the reader may see.

Admins read the whole log. A coordinator reads the events of their own institution: what its people did,
and what anyone did to its people, its works, their versions and files, and the institution itself.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, or_, select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.base import polish_to_utc
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.models import Attachment, Attempt, Work
from lms.reports.csv import safe_cell

CSV_LIMIT = 100_000  # rows in one export: a year of a busy installation; narrow the filters for more

# What the log's actions mean, for its readers, and the action filter's entries. Every action the code
# writes has one: tests/audit/test_action_labels.py reads every ``record`` call to check it.
ACTION_LABELS = {
    "attempt.viewed": _l("Viewed another person's version of a work"),
    "work.viewed": _l("Viewed another person's work"),
    "attachment.downloaded": _l("Downloaded another person's file"),
    "report.exported": _l("Exported a report"),
    "audit_log.exported": _l("Exported the audit log"),
    "person.data_exported": _l("Downloaded their personal data"),
    "user.signed_in": _l("Signed in"),
    "user.sign_in_failed": _l("Failed sign-in"),
    "user.second_step_failed": _l("Wrong code at the second sign-in step"),
    "second_factor.reset": _l("Reset two-step sign-in"),
    "user.roles_changed": _l("Changed roles"),
    "user.updated": _l("Changed a person's account"),
    "user.created": _l("Created an account"),
    "user.password_changed": _l("Changed a password"),
    "user.password_reset_requested": _l("Asked for a password reset"),
    "user.renamed": _l("Changed their name"),
    "user.signed_out_everywhere": _l("Signed out on every device"),
    "person.erased": _l("Erased a person's data"),
    "file.purged": _l("Removed a file after its retention period"),
    "attempt.redacted": _l("Removed a passage of a version"),
    "attempt.submitted": _l("Submitted a version"),
    "attempt.confirmed": _l("Confirmed an institution deliverable on its behalf"),
    "attempt.personal_data_confirmed": _l("Confirmed personal data may stay"),
    "attachment.added": _l("Added a file"),
    "attachment.removed": _l("Removed a file from a draft"),
    "review.accepted": _l("Accepted a version"),
    "review.revision_requested": _l("Asked for a revision"),
    "certificate.issued": _l("Issued a certificate"),
    "certificate.revoked": _l("Revoked a certificate"),
    "certification.revoked": _l("Revoked an institution's certificate"),
    "invitation.created": _l("Invited a person"),
    "invitation.accepted": _l("Accepted an invitation"),
    "privacy_notice.seen": _l("Read the privacy notice"),
    "invitation.existing_account_told": _l("Told an existing account about an invitation"),
    "user.admin_granted_by_cli": _l("Made an administrator from the command line"),
    "work.reassigned": _l("Handed a work to another trainer"),
    "trainer.absent": _l("Recorded a trainer's absence"),
    "trainer.absence_cancelled": _l("Withdrew a trainer's absence"),
    "edition.trainer_shares": _l("Changed trainers' shares of work"),
    "edition.deadline_set": _l("Set a module's due date"),
    "edition.deadline_cleared": _l("Removed a module's due date"),
    "edition.created": _l("Created an edition"),
    "edition.updated": _l("Changed an edition"),
    "edition.enrolled": _l("Enrolled a person in an edition"),
    "institution.created": _l("Created an institution"),
    "institution.updated": _l("Changed an institution"),
    "event.created": _l("Scheduled an event"),
    "event.moved": _l("Moved an event"),
    "event.changed": _l("Changed an event"),
    "event.cancelled": _l("Cancelled an event"),
    "event.registered": _l("Registered for an event"),
    "event.withdrawn": _l("Withdrew from an event"),
    "event.attendance": _l("Recorded attendance"),
    "consultation.logged": _l("Logged a consultation"),
    "agreed_action.done": _l("Closed an agreed action"),
    "monitoring.need": _l("Stated a need"),
    "monitoring.proposal": _l("Proposed a training"),
    "indicator_report.submitted": _l("Submitted an indicator report"),
    "indicator_report.accepted": _l("Accepted an indicator report"),
    "indicator_report.returned": _l("Sent an indicator report back"),
    "certification.applied": _l("Applied for the certificate"),
    "certification.awarded": _l("Awarded the certificate"),
    "certification.returned": _l("Returned a certificate application"),
    "api_token.created": _l("Created an API token"),
    "api_token.revoked": _l("Revoked an API token"),
}

# The kinds of object the log names, and what a reader calls them.
OBJECT_LABELS = {
    "User": _l("Person (account)"),
    "Attempt": _l("Version of a work"),
    "Work": _l("Work on an assignment"),
    "Attachment": _l("File"),
    "Institution": _l("Institution (object)"),
    "Certificate": _l("Certificate (object)"),
    "Report": _l("Report (object)"),
    "Review": _l("Trainer's decision"),
    "Edition": _l("Edition (object)"),
    "Event": _l("Event (object)"),
    "Registration": _l("Registration for an event"),
    "Consultation": _l("Consultation (object)"),
    "AgreedAction": _l("Agreed action"),
    "MonitoringMessage": _l("Message in the monitoring thread"),
    "IndicatorReport": _l("Indicator report (object)"),
    "CertificationApplication": _l("Certificate application"),
    "ApiToken": _l("API token"),
    "Invitation": _l("Invitation (object)"),
    "AuditLog": _l("Audit log"),
}


@dataclass(frozen=True)
class AuditFilters:
    """What the reader narrowed the log to; empty values mean "any"."""

    person: str = ""  # a name or e-mail fragment, or a person's number
    object_type: str = ""
    object_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One line of the screen and of the CSV."""

    number: int
    at: str
    who: str
    action: str
    object: str


def _midnight_utc(day: date) -> datetime:
    """The start of ``day`` in Poland as the naive UTC the log stores."""
    return polish_to_utc(datetime.combine(day, time()))


def _scope(statement: Select, reader: User) -> Select:
    """Only the events ``reader`` may read: all for admins, their institution's for coordinators."""
    if reader.has_role(Role.ADMIN):
        return statement
    institution_id = reader.institution_id
    if not reader.has_role(Role.COORDINATOR) or institution_id is None:
        return statement.where(false())
    people = select(User.id).where(User.institution_id == institution_id)
    works = select(Work.id).where(Work.institution_id == institution_id)
    attempts = select(Attempt.id).join(Work, Work.id == Attempt.work_id).where(Work.institution_id == institution_id)
    files = select(Attachment.id).join(Work, Work.id == Attachment.work_id).where(Work.institution_id == institution_id)
    kind, number = AuditEvent.object_type, AuditEvent.object_id
    return statement.where(
        or_(
            AuditEvent.actor_id.in_(people),
            and_(kind == "User", number.in_(people)),
            and_(kind == "Work", number.in_(works)),
            and_(kind == "Attempt", number.in_(attempts)),
            and_(kind == "Attachment", number.in_(files)),
            and_(kind == "Institution", number == institution_id),
        )
    )


# Until 2026-12 revoking an institution's certificate was written as ``certificate.revoked`` too; the log is
# append-only, so those rows are read by the kind of certificate they name.
_INSTITUTION_CERTIFICATES = select(Certificate.id).where(kind_is(CertificateKind.INSTITUTION))


def _action_is(action: str):
    """The condition for events of ``action``, reading older revocations by their certificate's kind."""
    older = and_(AuditEvent.action == "certificate.revoked", AuditEvent.object_type == "Certificate")
    if action == "certification.revoked":
        return or_(AuditEvent.action == action, and_(older, AuditEvent.object_id.in_(_INSTITUTION_CERTIFICATES)))
    if action == "certificate.revoked":
        return and_(older, AuditEvent.object_id.not_in(_INSTITUTION_CERTIFICATES))
    return AuditEvent.action == action


def _actions(found: list[AuditEvent]) -> dict[int, str]:
    """Each event's action, an older institution certificate's revocation read as what it was (one statement,
    only when the page has such a row)."""
    older = [e.object_id for e in found if e.action == "certificate.revoked" and e.object_type == "Certificate"]
    institutions = set()
    if older:
        institutions = set(db.session.scalars(_INSTITUTION_CERTIFICATES.where(Certificate.id.in_(older))))
    return {
        event.id: "certification.revoked" if event.action == "certificate.revoked" and event.object_id in institutions
        else event.action
        for event in found
    }  # fmt: skip


def _filtered(statement: Select, filters: AuditFilters) -> Select:
    if filters.person.isdigit():
        person_id = int(filters.person)
        about = and_(AuditEvent.object_type == "User", AuditEvent.object_id == person_id)
        statement = statement.where(or_(AuditEvent.actor_id == person_id, about))
    elif filters.person:
        pattern = f"%{filters.person}%"
        matching = select(User.id).where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
        about = and_(AuditEvent.object_type == "User", AuditEvent.object_id.in_(matching))
        statement = statement.where(or_(AuditEvent.actor_id.in_(matching), about))
    if filters.object_type:
        statement = statement.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(AuditEvent.object_id == filters.object_id)
    if filters.action:
        statement = statement.where(_action_is(filters.action))
    if filters.date_from:
        statement = statement.where(AuditEvent.at >= _midnight_utc(filters.date_from))
    if filters.date_to:
        statement = statement.where(AuditEvent.at < _midnight_utc(filters.date_to + timedelta(days=1)))
    return statement


def events(reader: User, filters: AuditFilters) -> Select:
    """The events ``reader`` may read that match ``filters``, newest first."""
    return _filtered(_scope(select(AuditEvent), reader), filters).order_by(AuditEvent.id.desc())


def rows(found: list[AuditEvent]) -> list[AuditRow]:
    """The screen's lines for ``found`` events; the people who acted are read in one statement."""
    actor_ids = {event.actor_id for event in found if event.actor_id is not None}
    names = {}
    if actor_ids:
        names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).all())
    actions = _actions(found)
    return [
        AuditRow(
            number=event.id,
            at=format_datetime(event.at, "yyyy-MM-dd HH:mm:ss"),
            who=f"{names.get(event.actor_id, '')} (#{event.actor_id})" if event.actor_id else "—",
            action=str(ACTION_LABELS.get(actions[event.id], event.action)),
            object=f"{OBJECT_LABELS.get(event.object_type, event.object_type)}"
            + (f" #{event.object_id}" if event.object_id is not None else ""),
        )
        for event in found
    ]


def csv_bytes(reader: User, filters: AuditFilters, header: list[str]) -> bytes:
    """The filtered log as CSV (UTF-8 with BOM, so spreadsheets read Polish letters): the screen's columns."""
    found = db.session.scalars(events(reader, filters).limit(CSV_LIMIT)).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")  # quoted: Polish Excel splits on ";"
    writer.writerow(header)
    for row in rows(found):
        writer.writerow([safe_cell(cell) for cell in (row.number, row.at, row.who, row.action, row.object)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def institution_name(reader: User) -> str | None:
    """The institution a coordinator's log is limited to (None for admins, who read it all)."""
    if reader.has_role(Role.ADMIN) or reader.institution_id is None:
        return None
    return db.session.scalar(select(Institution.name).where(Institution.id == reader.institution_id))
