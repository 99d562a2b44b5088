"""A synthetic corpus of attempts carrying personal data: every number is made up, every checksum computed."""

import io
import zipfile
from dataclasses import dataclass

from fpdf import FPDF

from lms.privacy.detect import DataKind

_LETTERS = {letter: 10 + index for index, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def pesel(year: int, month: int, day: int, serial: int) -> str:
    coded_month = month + (20 if year >= 2000 else 0)
    digits = f"{year % 100:02d}{coded_month:02d}{day:02d}{serial:04d}"
    total = sum(w * int(d) for w, d in zip((1, 3, 7, 9, 1, 3, 7, 9, 1, 3), digits, strict=True))
    return digits + str((10 - total % 10) % 10)


def _value(character: str) -> int:
    return _LETTERS[character] if character.isalpha() else int(character)


def id_card(series: str, number: str) -> str:
    """A Polish ID card number: 3 letters, check digit, 5 digits (weights 7,3,1 | 7,3,1,7,3)."""
    total = sum(w * _value(c) for w, c in zip((7, 3, 1, 7, 3, 1, 7, 3), series + number, strict=True))
    return f"{series}{total % 10}{number}"


def passport(series: str, number: str) -> str:
    """A Polish passport number: 2 letters, check digit, 6 digits (weights 7,3 | 1,7,3,1,7,3)."""
    total = sum(w * _value(c) for w, c in zip((7, 3, 1, 7, 3, 1, 7, 3), series + number, strict=True))
    return f"{series}{total % 10}{number}"


@dataclass(frozen=True)
class Case:
    kind: DataKind
    text: str = ""
    file: tuple[str, str, bytes] | None = None  # (file name, kind, bytes)


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f"<w:document><w:body>{body}</w:body></w:document>"
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def odt(paragraphs: list[str]) -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = f"<office:document-content><office:text>{body}</office:text></office:document-content>"
    return _zip({"content.xml": content})


def xlsx(cells: list[str]) -> bytes:
    strings = "".join(f"<si><t>{cell}</t></si>" for cell in cells)
    return _zip({"[Content_Types].xml": "<Types/>", "xl/sharedStrings.xml": f"<sst>{strings}</sst>"})


def pdf(lines: list[str]) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    for line in lines:
        document.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


P = DataKind
PESELS = [
    "Uczestniczka: PESEL {}.",
    "PESEL: {}",
    "Pan Z. (PESEL {}) zgłosił się do klubu.",
    "| 1 | {} | obecny |",
    "Numer PESEL podopiecznego {} wpisaliśmy do karty.",
    "W karcie wolontariusza: {}, data porozumienia 3.03.2026.",
    "Zgłoszenie od osoby o numerze {}",
    "- {} (seniorka, 82 lata)",
    "pesel:{}",
    "Dane do umowy: {}; adres znany OPS.",
    "Lista: 1) {} 2) brak",
    "Identyfikator {} podany przez rodzinę.",
]
PESEL_NUMBERS = [
    pesel(1944, 5, 14, 135),
    pesel(1987, 11, 2, 4821),
    pesel(2003, 1, 30, 772),
    pesel(1958, 7, 7, 1234),
    pesel(1999, 12, 31, 9990),
    pesel(2010, 6, 15, 3412),
    pesel(1975, 2, 28, 5555),
    pesel(1939, 9, 1, 81),
    pesel(1962, 3, 17, 2468),
    pesel(2001, 8, 9, 1357),
    pesel(1990, 10, 10, 7777),
    pesel(1949, 4, 21, 6060),
]
ID_CARDS = [
    ("Dowód osobisty: {}", id_card("ABA", "00000")),
    ("dowód nr {}", id_card("CAX", "12345")),
    ("Seria i numer dowodu: {}", id_card("DKL", "98765")),
    ("Legitymuje się dowodem {}.", id_card("AYZ", "55123")),
    ("{} — wydany przez Prezydenta Miasta", id_card("ZRT", "31415")),
    ("Nr dokumentu tożsamości {}", id_card("BGH", "27182")),
    ("Wolontariusz okazał dowód osobisty {} przy podpisaniu porozumienia.", id_card("EKO", "16180")),
    ("Dokument: {}", id_card("FHN", "44444")),
]
PASSPORTS = [
    ("Paszport: {}", passport("EA", "123456")),
    ("Numer paszportu {}", passport("ZS", "654321")),
    ("paszport nr {} (obywatelka Ukrainy)", passport("FA", "777001")),
    ("Dokument podróży {} ważny do 2030 r.", passport("EB", "424242")),
    ("Seria paszportu: {}", passport("AZ", "100200")),
    ("Cudzoziemiec, {}.", passport("KP", "909090")),
]
PHONES = [
    "Kontakt: +48 601 234 567",
    "tel. 601-234-567",
    "Proszę dzwonić pod 601234567.",
    "0048 512 345 678 (córka)",
    "Telefon stacjonarny (22) 123 45 67",
    "sołtys: 22 123 45 67",
    "kom. 664 555 333",
    "+48601234567",
    "Nr tel. opiekunki 789 012 345, po 16.",
    "Zadzwoń: 503 111 222",
    "tel.: 12 345 67 89",
    "+48 (58) 301-22-33",
]
EMAILS = [
    "Pisać na anna.kowalska@gmail.com",
    "e-mail: jan.nowak73@wp.pl",
    "Adres: marta_z@o2.pl.",
    "kontakt do wolontariuszki: ola.wisniewska@interia.pl",
    "Zgłoszenia na k.zielinski+ops@onet.pl",
    "Mail seniora: stefan1948@poczta.fm",
    "(ewa.mazur@outlook.com)",
    "Przesłano do p.wojcik@gmina-lesna.pl",
]
NAME_LISTS = [
    "Lista obecności:\n1. Anna Kowalska\n2. Jan Nowak\n3. Maria Wiśniewska",
    "Obecni: Kowalska Anna, Nowak Piotr, Zielińska Ewa.",
    "Wolontariusze: Tomasz Lewandowski (porozumienie z 2.02.2026), Katarzyna Dąbrowska (z 5.02.2026).",
    "| Imię i nazwisko | Podpis |\n| Barbara Kamińska | |\n| Stanisław Wójcik | |",
    "W spotkaniu udział wzięli: Zofia Kaczmarek, Henryk Pawlak i Jadwiga Grabowska.",
    "- Krzysztof Michalski\n- Agnieszka Jankowska\n- Paweł Wróbel",
    "Grupa wsparcia: Halina Zając, Teresa Król, Danuta Wieczorek, Janina Jabłońska.",
    "Zgody na wizerunek podpisali: Marek Adamczyk oraz Beata Dudek.",
    "Nowak Jan\nKowalczyk Irena\nMazur Czesław",
    "Seniorzy odwiedzani: Józef Kozłowski, Genowefa Sikora.",
]
FILE_CASES = [
    Case(P.PESEL, file=("lista.txt", "txt", f"Lista osób\n1. {pesel(1950, 1, 1, 1)}\n".encode())),
    Case(P.NAMES, file=("obecnosc.docx", "docx", docx(["Lista obecności", "Anna Kowalska", "Jan Nowak"]))),
    Case(P.PHONE, file=("notatka.odt", "odt", odt(["Notatka", "Kontakt do rodziny: 601 222 333"]))),
    Case(P.EMAIL, file=("raport.pdf", "pdf", pdf(["Raport z akcji", "Kontakt: jan.nowak@example.pl"]))),
    Case(P.PESEL, file=("uczestnicy.xlsx", "xlsx", xlsx(["Nazwisko", "PESEL", pesel(1972, 3, 3, 303)]))),
    Case(P.NAMES, file=("lista.pdf", "pdf", pdf(["Lista obecnosci", "Adam Nowak", "Ewa Kowalska"]))),
]


def corpus() -> list[Case]:
    cases = [Case(P.PESEL, template.format(number)) for template, number in zip(PESELS, PESEL_NUMBERS, strict=True)]
    cases += [Case(P.ID_CARD, template.format(number)) for template, number in ID_CARDS]
    cases += [Case(P.PASSPORT, template.format(number)) for template, number in PASSPORTS]
    cases += [Case(P.PHONE, text) for text in PHONES]
    cases += [Case(P.EMAIL, text) for text in EMAILS]
    cases += [Case(P.NAMES, text) for text in NAME_LISTS]
    return cases + FILE_CASES
