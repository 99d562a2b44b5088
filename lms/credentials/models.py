"""Signing keys (public parts only), status lists and the credentials issued for certificates."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.base import utcnow
from lms.extensions import db


class CredentialKey(db.Model):
    """A published issuer key. The private part is never here: it lives in a file or an environment variable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # the last part of the key's URL (its kid)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatusList(db.Model):
    """One issuer's bitstring for one purpose (revocation): bit i set means credential i is revoked."""

    __table_args__ = (UniqueConstraint("issuer", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(80))  # the programme's slug: its organiser issues its credentials
    purpose: Mapped[str] = mapped_column(String(20))
    size: Mapped[int]  # in bits
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedCredential(db.Model):
    """The signed credential of one certificate, exactly as the holder downloads it."""

    __table_args__ = (UniqueConstraint("status_list_id", "status_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No relationship to Certificate: certificates call this package, not the other way round.
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), unique=True)
    credential_id: Mapped[str] = mapped_column(String(64), unique=True)  # urn:uuid:…
    status_list_id: Mapped[int] = mapped_column(ForeignKey("status_list.id"))
    status_index: Mapped[int]
    key_name: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(Text)  # the compact VC-JWT
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    status_list: Mapped[StatusList] = relationship()
