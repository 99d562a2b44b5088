"""Which data changed: a revision counter per institution and one for everything else.

Every flush of the ORM session bumps, in the same transaction, the counter of each institution whose
data the flush changes (its works, attempts and their files, reviews, staff, enrolments, module
reads, certificates, consultations and their agreed actions, indicator reports, the institution
itself) and the "global" counter when it changes data that belongs to no single institution
(editions and who takes part in them, course content).
ORM bulk statements (``session.execute(insert(Model), rows)``, ``update(Model)``) bump the global
counter. Pages whose data was computed at a revision may be cached under it (``fragments``): a
later change gives a new revision, so a stale copy is never found again.

Why counters and not ``max(id)`` or timestamps: concurrent transactions commit in any order, so a
maximum can stand still while an older transaction commits; an UPDATE of a counter row is
serialised by the database (a second writer waits for the first to commit). Rows are bumped in
sorted order at the start of each flush, so two writers never wait on each other in a cycle.
A new row starts at a random number, so a database that is re-created while servers run never
repeats a revision an old cached copy was stored under.

``NOT_SHOWN`` lists models no cached page shows; their changes bump nothing. When a cached page
starts to show one of them, move it to ``_SCOPES_OF`` (tests/caching check every model is
classified). Changes of people without an institution (trainers, admins) count globally.
"""

import secrets
from functools import cache

from sqlalchemy import String, bindparam, cast, event, func, inspect, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.accounts.models import Invitation, Role, User, UserRole
from lms.api.models import ApiToken
from lms.audit.models import AuditEvent
from lms.caching.models import DataRevision
from lms.certificates.models import Certificate, CertificationApplication
from lms.content.models import Assignment, AssignmentVersion, Criterion, Level, Module, ModuleVersion, Programme
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.institutions.models import Institution
from lms.learning.models import Attachment, Attempt, ModuleCompletion, ModuleRead, StoredFile, Work
from lms.mail.models import OutboxMessage
from lms.notifications.models import DigestLog, Notification
from lms.reviews.models import CriterionResult, Review
from lms.support.models import AgreedAction, Consultation, IndicatorEvidence, IndicatorReport, MonitoringMessage

GLOBAL = "global"

NOT_SHOWN = frozenset(
    {
        DataRevision,
        AuditEvent,
        OutboxMessage,
        ApiToken,
        Notification,
        DigestLog,
        Invitation,
        UserRole,
        StoredFile,
        IndicatorEvidence,
        MonitoringMessage,
        CertificationApplication,
        # Derived from works and enrolments and written with them (lms.learning.completions): the
        # changes it follows from bump their scopes.
        ModuleCompletion,
    }
)


def institution_scope(institution_id: int) -> str:
    return f"institution:{institution_id}"


def person_scope(user: User) -> str:
    """A person's data counts for their institution. People without one (trainers, admins) appear on many
    institutions' pages (reviews, feedback), so their changes count globally; they rarely change."""
    return institution_scope(user.institution_id) if user.institution_id else GLOBAL


def _institution(institution_id: int | None) -> set[str]:
    return {institution_scope(institution_id)} if institution_id else set()


def _person(session: Session, user_id: int | None) -> set[str]:
    user = session.get(User, user_id) if user_id else None
    return {person_scope(user)} if user else set()


def _work(session: Session, work_id: int | None) -> set[str]:
    work = session.get(Work, work_id) if work_id else None
    return _work_scopes(session, work) if work else set()


def _work_scopes(session: Session, work: Work) -> set[str]:
    """The work's institution, and its learner's present one if they moved: their pages show their own
    work, and completions (``lms.learning.completions``) rely on these rows to order concurrent writers.
    Everything about a work (attempts, files, reviews) bumps the same rows, so a transaction takes them
    together, in sorted order, in its first flush."""
    return _institution(work.institution_id) | _person(session, work.learner_id)


def _attempt(session: Session, attempt: Attempt) -> set[str]:
    return _work_scopes(session, attempt.work) if attempt.work else _work(session, attempt.work_id)


def _agreed_action(session: Session, action: AgreedAction) -> set[str]:
    consultation = action.consultation or (
        session.get(Consultation, action.consultation_id) if action.consultation_id else None
    )
    return _institution(consultation.institution_id) if consultation else set()


def _review(session: Session, review: Review) -> set[str]:
    attempt = review.attempt or (session.get(Attempt, review.attempt_id) if review.attempt_id else None)
    return _attempt(session, attempt) if attempt else set()


def _criterion_result(session: Session, result: CriterionResult) -> set[str]:
    """A new result is written with its review (which counts); a stored one belongs to its review's work."""
    review = session.get(Review, result.review_id) if result.review_id else None
    return _review(session, review) if review else set()


def _user(session: Session, user: User) -> set[str]:
    """The person's scope, and the one they left when their institution changed in this flush. A trainer's
    name shows in every institution's histories they decided in: renaming one counts globally."""
    scopes = {person_scope(user)}
    state = inspect(user)
    if state.persistent and state.attrs.name.history.has_changes() and user.has_role(Role.TRAINER):
        scopes.add(GLOBAL)
    if state.persistent and state.attrs.institution_id.history.has_changes():
        # The stored value: the old one is not in the history when the person was expired by a commit.
        left = session.scalar(select(User.institution_id).where(User.id == user.id))
        scopes.add(institution_scope(left) if left else GLOBAL)
    return scopes


# Which scopes a changed instance of each model touches.
_SCOPES_OF = {
    Institution: lambda session, o: _institution(o.id),
    User: _user,
    Work: _work_scopes,
    Attempt: _attempt,
    Review: _review,
    CriterionResult: lambda session, o: _criterion_result(session, o),
    Attachment: lambda session, o: _work(session, o.work_id),
    ModuleRead: lambda session, o: _person(session, o.user_id),
    Enrolment: lambda session, o: _person(session, o.user_id),
    Certificate: lambda session, o: _institution(o.institution_id),
    Consultation: lambda session, o: _institution(o.institution_id),
    AgreedAction: _agreed_action,
    IndicatorReport: lambda session, o: _institution(o.institution_id),
}
# Editions (and who takes part in them) and course content belong to no single institution.
GLOBAL_MODELS = frozenset({Edition, Programme, Level, Module, ModuleVersion, Assignment, AssignmentVersion, Criterion})


def scopes_changed(session: Session, instances) -> set[str]:
    """The revision scopes a change of ``instances`` touches."""
    scopes: set[str] = set()
    with session.no_autoflush:
        for instance in instances:
            model = type(instance)
            if model in NOT_SHOWN:
                continue
            scopes_of = _SCOPES_OF.get(model)
            # GLOBAL_MODELS, and any model nobody has classified yet, count for everything.
            scopes |= scopes_of(session, instance) if scopes_of else {GLOBAL}
    return scopes


def bump(connection, scopes: set[str]) -> None:
    """Add one to each scope's counter (creating it at a random start), in sorted order."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for scope in sorted(scopes):
        statement = dialect.insert(DataRevision).values(scope=scope, number=secrets.randbelow(2**40) + 1)
        statement = statement.on_conflict_do_update(
            index_elements=[DataRevision.scope], set_={"number": DataRevision.number + 1}
        )
        connection.execute(statement)


@event.listens_for(Session, "before_flush")
def _bump_before_flush(session: Session, _context, _instances) -> None:
    scopes = scopes_changed(session, [*session.new, *session.dirty, *session.deleted])
    if scopes:
        bump(session.connection(), scopes)


@event.listens_for(Session, "do_orm_execute")
def _bump_for_bulk_statements(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    entity = state.bind_mapper.class_ if state.bind_mapper else None
    if entity not in NOT_SHOWN:
        bump(state.session.connection(), {GLOBAL})


def revision(session: Session, *scopes: str) -> int:
    """The combined revision of ``scopes`` (all scopes when none given): changes whenever one changes."""
    if not scopes:
        return session.scalar(_total_statement())
    return session.scalar(_scopes_statement(), {"scopes": list(scopes)})


def institution_revision(session: Session, institution_id: int) -> int:
    """The revision of what an institution's pages show: its own data and global data."""
    return revision(session, GLOBAL, institution_scope(institution_id))


# Read on every request of a cached page: built once.
@cache
def _total_statement():
    return select(func.coalesce(func.sum(DataRevision.number), 0))


@cache
def _scopes_statement():
    return _total_statement().where(DataRevision.scope.in_(bindparam("scopes", expanding=True)))


def trainer_revision(session: Session, trainer: User) -> int:
    """The combined revision of what a trainer's editions hold: their institutions, the trainer, the global one."""
    return session.scalar(_trainer_statement(), {"trainer_id": trainer.id, "own": [GLOBAL, person_scope(trainer)]})


@cache
def _trainer_statement():
    trained = select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == bindparam("trainer_id"))
    institutions = select(
        literal("institution:", String).concat(cast(edition_institution.c.institution_id, String))
    ).where(edition_institution.c.edition_id.in_(trained))
    return _total_statement().where(
        or_(DataRevision.scope.in_(institutions), DataRevision.scope.in_(bindparam("own", expanding=True)))
    )
