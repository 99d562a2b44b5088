"""Human names for institution kinds and voivodeships (proper names stay Polish in every locale)."""

from flask_babel import lazy_gettext as _l

from lms.institutions.models import InstitutionKind, Voivodeship

KIND_LABELS = {
    InstitutionKind.OPS: _l("Social welfare centre (OPS/MOPS)"),
    InstitutionKind.NGO: _l("NGO"),
    InstitutionKind.CULTURAL_CENTRE: _l("Cultural centre (dom kultury)"),
    InstitutionKind.NEIGHBOURHOOD_CLUB: _l("Neighbourhood club"),
    InstitutionKind.SCHOOL: _l("School"),
    InstitutionKind.OTHER: _l("Other"),
}

VOIVODESHIP_LABELS = {
    Voivodeship.DOLNOSLASKIE: "dolnośląskie",
    Voivodeship.KUJAWSKO_POMORSKIE: "kujawsko-pomorskie",
    Voivodeship.LUBELSKIE: "lubelskie",
    Voivodeship.LUBUSKIE: "lubuskie",
    Voivodeship.LODZKIE: "łódzkie",
    Voivodeship.MALOPOLSKIE: "małopolskie",
    Voivodeship.MAZOWIECKIE: "mazowieckie",
    Voivodeship.OPOLSKIE: "opolskie",
    Voivodeship.PODKARPACKIE: "podkarpackie",
    Voivodeship.PODLASKIE: "podlaskie",
    Voivodeship.POMORSKIE: "pomorskie",
    Voivodeship.SLASKIE: "śląskie",
    Voivodeship.SWIETOKRZYSKIE: "świętokrzyskie",
    Voivodeship.WARMINSKO_MAZURSKIE: "warmińsko-mazurskie",
    Voivodeship.WIELKOPOLSKIE: "wielkopolskie",
    Voivodeship.ZACHODNIOPOMORSKIE: "zachodniopomorskie",
}
