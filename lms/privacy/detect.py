"""Finding personal data typed into an attempt or its readable attachments: PESEL numbers, ID card
and passport numbers, Polish phone numbers, e-mail addresses and lists of people's names.

Everything runs here, on the server, on text already in memory: nothing is sent anywhere. The check
warns, it never blocks: the learner fixes the text or states why the data may stay.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from stdnum.pl import pesel

from lms.privacy.first_names import FIRST_NAMES


class DataKind(enum.StrEnum):
    PESEL = "pesel"
    ID_CARD = "id_card"
    PASSPORT = "passport"
    PHONE = "phone"
    EMAIL = "email"
    NAMES = "names"


KIND_LABELS = {
    DataKind.PESEL: _l("PESEL number"),
    DataKind.ID_CARD: _l("ID card number"),
    DataKind.PASSPORT: _l("passport number"),
    DataKind.PHONE: _l("phone number"),
    DataKind.EMAIL: _l("e-mail address"),
    DataKind.NAMES: _l("list of first names and surnames"),
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what, shown partly masked, and where (source and line or page)."""

    kind: DataKind
    shown: str
    source: str  # "" for the attempt's text, else the attachment's file name
    location: int  # line of the text, or page of a PDF

    @property
    def label(self):
        return KIND_LABELS[self.kind]


_PESEL = re.compile(r"(?<![\d-])\d{11}(?![\d-])")
_ID_CARD = re.compile(r"\b([A-Z]{3}) ?(\d{6})\b")
_PASSPORT = re.compile(r"\b([A-Z]{2}) ?(\d{7})\b")
_ID_CONTEXT = re.compile(r"dow(?:ód|odu|odem|odzie)|paszport|seria|nr dok", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+/.,-])(?:(?:\+|00)48[ -]?)?"
    r"(?:\d{3}[ -]?\d{3}[ -]?\d{3}|\(?\d{2}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2})"
    r"(?![\w/.,-]?\d)(?!\s*(?:zł|pln|%|r\b|rok|os|km|m2|szt))",
    re.IGNORECASE,
)
_PHONE_NOT_AFTER = re.compile(r"\b(?:regon|nip|krs|konta|rachun\w*|iban)\b[^\d\n]{0,20}$", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_WORD = r"[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+(?:-[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+)?"
_NAME_PAIR = re.compile(rf"(?<![\w-])({_WORD})[ \t]+({_WORD})(?![\w-])")
# Capitalised words that stand beside a first name without being a surname.
_NOT_SURNAMES = frozenset(
    [
        "Pan",
        "Pani",
        "Panem",
        "Panią",
        "Państwo",
        "Ksiądz",
        "Święty",
        "Święta",
        "Święty",
        "Sołtys",
        "Wójt",
        "Burmistrz",
        "Starosta",
        "Dyrektor",
        "Dyrektorka",
        "Doktor",
        "Druh",
        "Druhna",
        "Siostra",
        "Brat",
        "Ulica",
        "Plac",
        "Aleja",
        "Szkoła",
        "Przedszkole",
        "Klub",
        "Dom",
        "Ośrodek",
        "Centrum",
        "Gmina",
        "Wola",
        "Góra",
        "Dolina",
        "Koło",
        "Dzień",
        "Park",
        "Parafia",
        "Kościół",
        "Fundacja",
        "Stowarzyszenie",
        "Osiedle",
    ]
)
# Two people named are a list; one name in a sentence is usually a colleague or the author.
MIN_NAMES_FOR_A_LIST = 2
_ID_LETTER_VALUE = {letter: 10 + index for index, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def _value(character: str) -> int:
    return _ID_LETTER_VALUE[character] if character.isalpha() else int(character)


def id_card_is_valid(number: str) -> bool:
    """The check digit of a Polish ID card (dowód osobisty) number such as ABA300000 (its 4th character)."""
    weights = (7, 3, 1, 9, 7, 3, 1, 7, 3)
    return len(number) == 9 and sum(w * _value(c) for w, c in zip(weights, number, strict=True)) % 10 == 0


def passport_is_valid(number: str) -> bool:
    """The check digit of a Polish passport number such as EA1234567 (its 3rd character)."""
    weights = (7, 3, 9, 1, 7, 3, 1, 7, 3)
    return len(number) == 9 and sum(w * _value(c) for w, c in zip(weights, number, strict=True)) % 10 == 0


def _mask(value: str) -> str:
    """Enough of a number to find it again in one's own text, not enough to copy it from the page."""
    compact = value.replace(" ", "")
    return compact[:3] + "•" * max(len(compact) - 5, 3) + compact[-2:]


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:2]}•••@{domain}"


def _has_id_context(text: str, start: int) -> bool:
    return bool(_ID_CONTEXT.search(text[max(0, start - 40) : start]))


def _numbers(text: str) -> Iterable[tuple[DataKind, str, int]]:
    for match in _PESEL.finditer(text):
        if pesel.is_valid(match.group()):
            yield DataKind.PESEL, _mask(match.group()), match.start()
    for match in _ID_CARD.finditer(text):
        number = match.group(1) + match.group(2)
        if id_card_is_valid(number) or _has_id_context(text, match.start()):
            yield DataKind.ID_CARD, _mask(number), match.start()
    for match in _PASSPORT.finditer(text):
        number = match.group(1) + match.group(2)
        if passport_is_valid(number) or _has_id_context(text, match.start()):
            yield DataKind.PASSPORT, _mask(number), match.start()
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if (len(digits) == 11 and pesel.is_valid(digits)) or _PHONE_NOT_AFTER.search(text[: match.start()]):
            continue
        if digits.removeprefix("0048").removeprefix("48")[:1] in "123456789" and len(digits) in (9, 11, 13):
            yield DataKind.PHONE, _mask(match.group()), match.start()
    for match in _EMAIL.finditer(text):
        yield DataKind.EMAIL, _mask_email(match.group()), match.start()


def _names(text: str) -> list[tuple[str, int]]:
    """Distinct 'First Surname' or 'Surname First' pairs, with where each first appears."""
    found: dict[str, int] = {}
    for line_start, line in _lines(text):
        for match in _NAME_PAIR.finditer(line):
            first, second = match.groups()
            if first in FIRST_NAMES and second not in FIRST_NAMES and second not in _NOT_SURNAMES:
                person = f"{first} {second}"
            elif second in FIRST_NAMES and first not in FIRST_NAMES and first not in _NOT_SURNAMES:
                person = f"{second} {first}"
            else:
                continue
            found.setdefault(person, line_start + match.start())
    return list(found.items())


def _lines(text: str) -> Iterable[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def scan(text: str, source: str = "", first_location: int = 1, by_page: bool = False) -> list[Finding]:
    """Personal data in ``text``; locations are lines counted from ``first_location`` (or that page)."""

    def location(offset: int) -> int:
        return first_location if by_page else first_location + text.count("\n", 0, offset)

    findings = [Finding(kind, shown, source, location(offset)) for kind, shown, offset in _numbers(text)]
    people = _names(text)
    if len(people) >= MIN_NAMES_FOR_A_LIST:
        findings += [Finding(DataKind.NAMES, person, source, location(offset)) for person, offset in people]
    return sorted(findings, key=lambda finding: (finding.location, finding.kind))
