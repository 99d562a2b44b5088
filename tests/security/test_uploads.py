"""Upload abuse through the real form (tests/learning/test_files.py checks ``check_upload`` itself).

A zip bomb is refused by its declared size, a PDF/HTML polyglot by its content, and huge or hostile
file names reach the database and the download header sanitised.
"""

import io
import zipfile

from sqlalchemy import func, select

from lms.content.models import Assignment
from lms.extensions import db
from lms.learning.models import Attachment
from tests.auth.test_access_matrix import world  # noqa: F401 (the fixture)
from tests.conftest import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def bomb() -> bytes:
    """A small DOCX-looking zip whose member inflates to 201 MB (beyond the 200 MB total)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    return buffer.getvalue()


def send(app, world, name: str, content: bytes):  # noqa: F811
    client = app.test_client()
    assert login(client, world["people"]["animator"]).status_code == 302
    mapa = db.session.scalar(select(Assignment).where(Assignment.slug == "mapa"))
    url = f"/editions/{world['edition'].id}/assignments/{mapa.id}/"
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "text": "Tekst", "save": "1", "files": [(io.BytesIO(content), name)]}
    return client, client.post(url, data=data, content_type="multipart/form-data")


def stored(name_like: str = "%") -> list[Attachment]:
    return db.session.scalars(select(Attachment).where(Attachment.filename.like(name_like))).all()


def test_a_zip_bomb_is_refused_by_its_declared_size_and_nothing_is_stored(app, world):  # noqa: F811
    before = db.session.scalar(select(func.count(Attachment.id)))
    _, response = send(app, world, "bomba.docx", bomb())
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Attachment.id))) == before


def test_a_pdf_html_polyglot_is_refused_by_its_content(app, world):  # noqa: F811
    polyglot = b"%PDF-1.4\n%<html><body><script>window.__xss=1</script></body></html>\n" + PDF[9:]
    before = db.session.scalar(select(func.count(Attachment.id)))
    _, response = send(app, world, "praca.pdf", polyglot)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Attachment.id))) == before


def test_a_huge_traversal_name_is_stored_short_and_without_its_path(app, world):  # noqa: F811
    client, response = send(app, world, "../" * 200 + "a" * 5000 + ".pdf", PDF)
    assert response.status_code == 302
    (attachment,) = stored("a%")
    assert len(attachment.filename) <= 120 and attachment.filename.endswith(".pdf")
    assert "/" not in attachment.filename and ".." not in attachment.filename
    download = client.get(f"/files/{attachment.id}")
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_markup_and_control_characters_in_a_name_are_removed(app, world):  # noqa: F811
    client, response = send(app, world, '<img src=x onerror="window.__xss=1">\r\n\x00.pdf', PDF)
    assert response.status_code == 302
    (attachment,) = stored("%img%")
    assert not set('<>"\r\n\x00') & set(attachment.filename)
    assert "\n" not in client.get(f"/files/{attachment.id}").headers["Content-Disposition"]


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_a_damaged_archive_is_refused_with_a_clear_message(app, world):  # noqa: F811
    content = bytearray(odt())
    content[-6:-2] = (0xFFFFFFFF).to_bytes(4, "little")  # the central directory "starts" past the end
    before = db.session.scalar(select(func.count(Attachment.id)))
    _, response = send(app, world, "notatka.odt", bytes(content))
    assert response.status_code == 200
    assert "Ten plik jest uszkodzony" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attachment.id))) == before
