"""Revision counters: one row per scope ("global", "institution:<id>"), bumped by every change."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class DataRevision(db.Model):
    """How many times the data of a scope has changed (starting from a random number, see ``revisions``)."""

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger)
