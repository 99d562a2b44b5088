"""Institutions taking part in the programmes, and the fixed lists that describe them."""

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.base import enum_column, utcnow
from lms.extensions import db


class InstitutionKind(enum.StrEnum):
    OPS = "ops"
    NGO = "ngo"
    CULTURAL_CENTRE = "dom_kultury"
    NEIGHBOURHOOD_CLUB = "klub"
    SCHOOL = "szkola"
    OTHER = "inna"


class Voivodeship(enum.StrEnum):
    """The 16 Polish voivodeships."""

    DOLNOSLASKIE = "dolnoslaskie"
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie"
    LUBELSKIE = "lubelskie"
    LUBUSKIE = "lubuskie"
    LODZKIE = "lodzkie"
    MALOPOLSKIE = "malopolskie"
    MAZOWIECKIE = "mazowieckie"
    OPOLSKIE = "opolskie"
    PODKARPACKIE = "podkarpackie"
    PODLASKIE = "podlaskie"
    POMORSKIE = "pomorskie"
    SLASKIE = "slaskie"
    SWIETOKRZYSKIE = "swietokrzyskie"
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie"
    WIELKOPOLSKIE = "wielkopolskie"
    ZACHODNIOPOMORSKIE = "zachodniopomorskie"


class Institution(db.Model):
    """An OPS/MOPS, NGO, cultural centre, club or school whose staff take part."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind))
    gmina: Mapped[str] = mapped_column(String(120))
    powiat: Mapped[str] = mapped_column(String(120))
    voivodeship: Mapped[Voivodeship] = mapped_column(enum_column(Voivodeship), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
