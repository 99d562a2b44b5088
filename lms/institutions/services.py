"""Institutions: saving and searching them."""

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from lms.audit.services import record
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship

if TYPE_CHECKING:  # people belong to institutions: accounts imports this package, not the other way round
    from lms.accounts.models import User

EDITABLE_FIELDS = ("name", "kind", "gmina", "powiat", "voivodeship", "address", "contact_email", "contact_phone")


def save_institution(institution: Institution | None, data: dict, actor: "User") -> Institution:
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
