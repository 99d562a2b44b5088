"""Answer templates (issue 15, part 3): DOCX and ODT with the assignment's title, instructions and one heading per
criterion; a filled template passes the upload checks every attachment goes through."""

import io
import re
import zipfile
from xml.dom import minidom

import pytest

from lms.learning.files import check_upload


@pytest.fixture
def module_url(mini_programme, client):
    return "/programmes/mini/modules/pierwszy/"


def template_url(client, module_url: str, fmt: str) -> str:
    html = client.get(module_url).get_data(as_text=True)
    return re.search(rf'href="([^"]+/template\.{fmt})"', html).group(1)


def texts_of(archive: zipfile.ZipFile, part: str) -> str:
    return re.sub(r"<[^>]+>", "\n", archive.read(part).decode("utf-8"))


@pytest.mark.parametrize(
    ("fmt", "part", "heading"),
    [("docx", "word/document.xml", 'w:val="Heading3"'), ("odt", "content.xml", 'text:outline-level="3"')],
)
def test_the_module_page_offers_an_answer_template_that_uploads_as_itself(client, module_url, fmt, part, heading):
    response = client.get(template_url(client, module_url, fmt))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'.{fmt}"')
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    for name in archive.namelist():  # every XML part is well-formed
        if name != "mimetype":
            minidom.parseString(archive.read(name))
    text = texts_of(archive, part)
    for expected in (
        "Mój profil animatora",
        "Zadanie",
        "Twoja odpowiedź",
        "1. Profil wymienia trzy zasoby.",
        "2. Plan ma termin.",
    ):
        assert expected in text, expected
    assert archive.read(part).decode().count(heading) == 2  # one heading per criterion
    checked = check_upload(f"profil.{fmt}", response.get_data(), 10 * 1024 * 1024)
    assert checked.kind == fmt and checked.filename == f"profil.{fmt}"


def test_an_unknown_format_or_assignment_is_not_found(client, module_url):
    url = template_url(client, module_url, "odt")
    assert client.get(url.replace("template.odt", "template.exe")).status_code == 404
    assert client.get(re.sub(r"/assignments/\d+/", "/assignments/999999/", url)).status_code == 404


def test_a_paragraph_wrapped_in_the_course_source_stays_one_paragraph():
    from lms.content.answer_sheets import sheet

    labels = {"instructions": "Zadanie", "answer": "Twoja odpowiedź", "hint": "Pisz pod kryteriami."}
    blocks = sheet("Tytuł", "<p>Zaznacz, gdzie stoi\nTwoja instytucja.</p>\n<ul>\n<li>jeden</li>\n</ul>", [], labels)
    assert (0, "Zaznacz, gdzie stoi Twoja instytucja.") in blocks.blocks and (0, "jeden") in blocks.blocks
