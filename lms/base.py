"""The lowest layer: helpers every package may use, depending on no other package of the app."""

import enum
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Enum


def utcnow() -> datetime:
    """Current UTC time; a callable so each row gets its own timestamp."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(enum_class: type[enum.Enum], length: int = 40) -> Enum:
    """Store an enum by its value as portable text (no native PostgreSQL enum types to migrate)."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


POLAND = ZoneInfo("Europe/Warsaw")


def polish_to_utc(local: datetime) -> datetime:
    """A naive time in Poland (typed in a form, or a day's midnight) as the naive UTC the database keeps."""
    return local.replace(tzinfo=POLAND).astimezone(UTC).replace(tzinfo=None)


def utc_to_polish(utc: datetime) -> datetime:
    """A stored naive UTC time as the naive time in Poland (for a form field, or its day)."""
    return utc.replace(tzinfo=UTC).astimezone(POLAND).replace(tzinfo=None)


def polish_today() -> date:
    """Today's date in Poland, where the programme runs (a few hours after midnight UTC it is already tomorrow)."""
    return datetime.now(POLAND).date()
