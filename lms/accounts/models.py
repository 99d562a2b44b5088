"""People, their roles and invitations."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.access.roles import Role  # defined below accounts, for the access checks
from lms.base import enum_column, utcnow
from lms.extensions import db
from lms.institutions.models import Institution


class User(UserMixin, db.Model):
    """A person who signs in. Animators and coordinators belong to an institution."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(5))  # chosen on the profile; None: the site's default
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    role_links: Mapped[list["UserRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    def has_role(self, *roles: Role) -> bool:
        """True if the person holds any of ``roles``."""
        return any(link.role in roles for link in self.role_links)

    def grant(self, role: Role) -> None:
        """Add a role (idempotent)."""
        if not self.has_role(role):
            self.role_links.append(UserRole(role=role))

    @property
    def is_active(self) -> bool:
        return self.active

    # The secret of the browser this person is signed in on in this request (see SignIn): set when
    # signing in or loading the person from a cookie, never stored on the person.
    sign_in_secret = ""

    def get_id(self) -> str:
        """What Flask-Login puts in the session and the remember cookie: the person and this sign-in."""
        return f"{self.id}.{self.sign_in_secret}"


class SignIn(db.Model):
    """One browser signed in as one person. Its secret travels in the session and remember cookies;
    deleting the row signs that browser out, however the cookies were kept or copied."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the secret
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserRole(db.Model):
    """One role held by one person."""

    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 20), index=True)


class Invitation(db.Model):
    """A one-time, expiring invitation to join with a role (and, for staff, an institution)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 20))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # only the hash is stored
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    institution: Mapped[Institution | None] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
