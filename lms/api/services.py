"""The API's rules: personal tokens, paging, and the queries behind each endpoint (no Flask request objects).

Every list is a SQL statement paged in the database (one COUNT and one page query), or a short list
that is already bounded (programmes, the programmes one institution takes part in). Progress and
checklists come from their one source of truth (``lms.learning.progress``,
``lms.certificates.checklist``); nothing here recomputes those rules.
"""

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from lms.accounts.models import Role, User
from lms.api.models import ApiToken
from lms.audit.services import record
from lms.base import utcnow
from lms.certificates.checklist import InstitutionChecklist, institution_checklists
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Assignment, Module, ModuleVersion, Programme
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.editions.services import visible_editions
from lms.extensions import db
from lms.institutions.models import Institution
from lms.learning.progress import EditionProgress, people_progress, programme_modules

TOKEN_PREFIX = "cal_"
# "cal_" + secrets.token_urlsafe(32): 43 URL-safe base64 characters.
TOKEN_PATTERN = re.compile(r"cal_[A-Za-z0-9_-]{43}")
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token: reading must not turn every call into a write.
LAST_USED_PRECISION = timedelta(minutes=1)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


class TokenError(ValueError):
    """A token operation the rules refuse; the message is for the user."""


# ---------------------------------------------------------------------------------------------
# Tokens


def hash_token(raw: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    """The person's tokens, active ones first, newest first."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: returns the row and the raw token (shown once, never stored); audited."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    active = db.session.scalar(
        select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            ngettext(
                "You already have %(num)s active token. Revoke it first.",
                "You already have %(num)s active tokens. Revoke one you no longer use first.",
                active,
            )
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=hash_token(raw), prefix=raw[:8])
    db.session.add(token)
    record(user, "api_token.created", token, name=token.name, prefix=token.prefix)
    return token, raw


def token_of(user: User, token_id: int) -> ApiToken | None:
    """One of the person's own tokens (someone else's answers None, like an unknown one)."""
    return db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))


def revoke_token(token: ApiToken, actor: User) -> bool:
    """Revoke a token (False if it already was); audited; the caller commits."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record(actor, "api_token.revoked", token, name=token.name, prefix=token.prefix)
    return True


def user_for_token(raw: str) -> User | None:
    """The active person a well-formed, unrevoked token belongs to, or None; notes when it was used."""
    if not TOKEN_PATTERN.fullmatch(raw):
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user))
    )
    if token is None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return token.user


# ---------------------------------------------------------------------------------------------
# Paging


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0


def paginate(statement, page: int, per_page: int) -> Page:
    """Page a select in the database: a COUNT, then the page's rows (none asked for beyond the end)."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    offset = (page - 1) * per_page
    items = db.session.scalars(statement.limit(per_page).offset(offset)).all() if offset < total else []
    return Page(list(items), page, per_page, total)


def paginate_list(items: list, page: int, per_page: int) -> Page:
    """Page a list that is already short (programmes, one institution's programmes)."""
    offset = (page - 1) * per_page
    return Page(items[offset : offset + per_page], page, per_page, len(items))


# ---------------------------------------------------------------------------------------------
# Programmes (public)


@dataclass
class ProgrammeSummary:
    programme: Programme
    module_count: int
    total_hours: float


def programmes() -> list[ProgrammeSummary]:
    """Every programme with its number of active modules and their hours, by title, in one query.

    The same aggregate as the catalogue page (``lms.content.services.catalogue``), ordered by slug
    as well so that paging is stable.
    """
    rows = db.session.execute(
        select(Programme, func.count(Module.id), func.coalesce(func.sum(ModuleVersion.duration_hours), 0))
        .outerjoin(Module, (Module.programme_id == Programme.id) & Module.retired.is_(False))
        .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .group_by(Programme.id)
        .order_by(Programme.title, Programme.slug)
    )
    return [ProgrammeSummary(programme, count, float(hours)) for programme, count, hours in rows]


@dataclass
class ProgrammeDetail:
    programme: Programme
    modules: list[Module]  # active, in order, with current versions, assignments and criteria loaded
    assignment_slugs: dict[int, str]


def programme_detail(slug: str) -> ProgrammeDetail | None:
    """A programme with its levels and active modules (current versions), in a fixed number of queries."""
    programme = db.session.scalar(
        select(Programme).where(Programme.slug == slug).options(selectinload(Programme.levels))
    )
    if programme is None:
        return None
    modules = programme_modules(programme.id)
    return ProgrammeDetail(programme, list(modules), assignment_slugs([programme.id]))


def assignment_slugs(programme_ids) -> dict[int, str]:
    """Assignment id -> slug for the programmes, in one query."""
    rows = db.session.execute(select(Assignment.id, Assignment.slug).where(Assignment.programme_id.in_(programme_ids)))
    return dict(rows.all())


# ---------------------------------------------------------------------------------------------
# Editions


def editions(user: User, is_admin: bool, programme_slug: str | None = None, starts_after: date | None = None):
    """A select of the editions ``user`` may see (``visible_editions``), filtered, with their programmes."""
    statement = visible_editions(user, is_admin).options(joinedload(Edition.programme))
    if programme_slug is not None:
        statement = statement.where(
            Edition.programme_id.in_(select(Programme.id).where(Programme.slug == programme_slug))
        )
    if starts_after is not None:
        statement = statement.where(Edition.starts_on > starts_after)
    return statement


# ---------------------------------------------------------------------------------------------
# An institution's progress


def progress_rows(institution: Institution, user: User, is_admin: bool):
    """A select of the enrolments (edition × staff member of ``institution``) whose progress ``user`` may read.

    The caller has checked VIEW on the institution. Who is listed mirrors the edition page
    (``lms.admin.editions._visible_enrolments``) and the policy on work: admins and the
    institution's coordinator see all its enrolled staff; a trainer the staff in the editions
    they train; anyone else (an animator) only themselves. Only editions the institution takes
    part in count.
    """
    statement = (
        select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .join(Edition, Edition.id == Enrolment.edition_id)
        .where(
            User.institution_id == institution.id,
            Enrolment.edition_id.in_(
                select(edition_institution.c.edition_id).where(edition_institution.c.institution_id == institution.id)
            ),
        )
        .options(
            contains_eager(Enrolment.user),
            contains_eager(Enrolment.edition).joinedload(Edition.programme).selectinload(Programme.levels),
        )
        .order_by(Edition.starts_on.desc(), Edition.id.desc(), User.name, User.id)
    )
    coordinates = user.has_role(Role.COORDINATOR) and user.institution_id == institution.id
    if not (is_admin or coordinates):
        trained = select(edition_trainer.c.edition_id).where(edition_trainer.c.user_id == user.id)
        statement = statement.where(or_(Enrolment.user_id == user.id, Enrolment.edition_id.in_(trained)))
    return statement


def progress_of(enrolments: list[Enrolment]) -> list[tuple[Enrolment, EditionProgress]]:
    """Each enrolment's progress, computed by ``people_progress`` once per edition on the page."""
    by_edition: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_edition.setdefault(enrolment.edition_id, []).append(enrolment)
    progress: dict[tuple[int, int], EditionProgress] = {}
    for group in by_edition.values():
        edition = group[0].edition
        for user_id, state in people_progress([e.user for e in group], edition).items():
            progress[(edition.id, user_id)] = state
    return [(e, progress[(e.edition_id, e.user_id)]) for e in enrolments]


# ---------------------------------------------------------------------------------------------
# An institution's checklists


def institution_programmes(institution: Institution) -> list[Programme]:
    """The programmes of the editions the institution takes part in, by title, in one query."""
    return db.session.scalars(
        select(Programme)
        .where(
            Programme.id.in_(
                select(distinct(Edition.programme_id))
                .join(edition_institution, edition_institution.c.edition_id == Edition.id)
                .where(edition_institution.c.institution_id == institution.id)
            )
        )
        .order_by(Programme.title, Programme.slug)
    ).all()


def checklists(institution: Institution, programmes: list[Programme]) -> list[tuple[Programme, InstitutionChecklist]]:
    """The live checklist of each programme that has an institution certificate (``institution_checklists``)."""
    result = []
    for programme in programmes:
        checklist = institution_checklists([institution], programme).get(institution.id)
        if checklist is not None:
            result.append((programme, checklist))
    return result


def certificate_programmes(institution: Institution) -> list[Programme]:
    """The institution's programmes that have an institution certificate (what the checklist endpoint lists)."""
    return [p for p in institution_programmes(institution) if p.certificates.get("institution")]


# ---------------------------------------------------------------------------------------------
# Certificates


def certificates(user: User, is_admin: bool, kind: CertificateKind | None = None):
    """A select of the certificates ``user`` may see, newest first.

    Mirrors the policy on certificates (``lms.auth.policy._can_certificate``): one's own, and for
    a coordinator every certificate of their institution; admins see all.
    """
    statement = (
        select(Certificate)
        .options(joinedload(Certificate.holder), joinedload(Certificate.institution), joinedload(Certificate.programme))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    if not is_admin:
        visible = Certificate.holder_id == user.id
        if user.has_role(Role.COORDINATOR) and user.institution_id is not None:
            visible = or_(visible, Certificate.institution_id == user.institution_id)
        statement = statement.where(visible)
    if kind is not None:
        statement = statement.where(Certificate.kind == kind)
    return statement
