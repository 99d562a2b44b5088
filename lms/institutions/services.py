"""Institutions: saving them and the queries their pages need."""

from sqlalchemy import func, or_, select

from lms.accounts.models import User
from lms.audit.services import record
from lms.editions.models import Edition, edition_institution
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship

EDITABLE_FIELDS = ("name", "kind", "gmina", "powiat", "voivodeship", "address", "contact_email", "contact_phone")


def save_institution(institution: Institution | None, data: dict, actor: User) -> Institution:
    """Create (``institution`` None) or update an institution from form data; audited; the caller commits."""
    creating = institution is None
    institution = institution or Institution()
    changed = [name for name in EDITABLE_FIELDS if getattr(institution, name, None) != data[name]]
    for name in EDITABLE_FIELDS:
        setattr(institution, name, data[name])
    institution.kind = InstitutionKind(data["kind"])
    institution.voivodeship = Voivodeship(data["voivodeship"])
    db.session.add(institution)
    if creating or changed:
        record(
            actor, "institution.created" if creating else "institution.updated", institution, fields=",".join(changed)
        )
    return institution


def search_institutions(query: str = "", voivodeship: str = ""):
    """A select of institutions matching a name/gmina search and a voivodeship, by name."""
    statement = select(Institution).order_by(Institution.name, Institution.id)
    if query:
        pattern = f"%{query.strip()}%"
        statement = statement.where(or_(Institution.name.ilike(pattern), Institution.gmina.ilike(pattern)))
    if voivodeship in {v.value for v in Voivodeship}:
        statement = statement.where(Institution.voivodeship == Voivodeship(voivodeship))
    return statement


def staff_of(institution: Institution) -> list[User]:
    """The institution's people, by name."""
    return db.session.scalars(select(User).where(User.institution_id == institution.id).order_by(User.name)).all()


def editions_of(institution: Institution) -> list[Edition]:
    """Editions the institution takes part in, newest first."""
    return db.session.scalars(
        select(Edition)
        .join(edition_institution, edition_institution.c.edition_id == Edition.id)
        .where(edition_institution.c.institution_id == institution.id)
        .order_by(Edition.starts_on.desc())
    ).all()


def staff_counts(institution_ids: list[int]) -> dict[int, int]:
    """Number of people per institution, in one query."""
    if not institution_ids:
        return {}
    rows = db.session.execute(
        select(User.institution_id, func.count(User.id))
        .where(User.institution_id.in_(institution_ids))
        .group_by(User.institution_id)
    )
    return dict(rows.all())
