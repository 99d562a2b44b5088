"""Checking submission attachments: real type by content, zip bombs, polyglots, sizes and safe file names."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from lms.learning import files
from lms.learning.files import ALLOWED_TYPES, CheckedFile, UploadRejected, check_upload, sanitise_filename

MB = 1024 * 1024
LIMIT = 10 * MB


# --- building real files -----------------------------------------------------------------


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def make_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def make_zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def make_odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>')
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


OOXML_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def make_docx() -> bytes:
    return make_zip(
        [
            ("[Content_Types].xml", OOXML_TYPES),
            ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
            ("word/document.xml", b'<?xml version="1.0"?><w:document><w:body/></w:document>'),
        ]
    )


def make_xlsx() -> bytes:
    return make_zip(
        [
            ("[Content_Types].xml", OOXML_TYPES),
            ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
            ("xl/workbook.xml", b'<?xml version="1.0"?><workbook><sheets/></workbook>'),
            ("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><worksheet/>'),
        ]
    )


def rejected(name: str, content: bytes, max_bytes: int = LIMIT) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_upload(name, content, max_bytes)
    return caught.value


# --- accepted files ----------------------------------------------------------------------


def test_valid_pdf_is_accepted_with_mime_size_and_hash():
    content = make_pdf()
    checked = check_upload("Zadanie 1.pdf", content, LIMIT)
    assert checked == CheckedFile(
        filename="Zadanie 1.pdf",
        mime="application/pdf",
        kind="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def test_valid_png_is_accepted():
    checked = check_upload("zdjecie.png", make_png(), LIMIT)
    assert (checked.kind, checked.mime) == ("png", "image/png")


@pytest.mark.parametrize("name", ["foto.jpg", "foto.jpeg", "FOTO.JPG", "Foto.JpEg"])
def test_jpeg_is_accepted_with_jpg_or_jpeg_extension_in_any_case(name):
    checked = check_upload(name, make_jpeg(), LIMIT)
    assert (checked.kind, checked.mime, checked.filename) == ("jpeg", "image/jpeg", name)


@pytest.mark.parametrize(
    ("name", "build", "kind"),
    [
        ("plan.docx", make_docx, "docx"),
        ("budzet.xlsx", make_xlsx, "xlsx"),
        ("notatka.odt", lambda: make_odf("application/vnd.oasis.opendocument.text"), "odt"),
        ("tabela.ods", lambda: make_odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    ],
)
def test_office_documents_are_recognised_by_their_zip_structure(name, build, kind):
    checked = check_upload(name, build(), LIMIT)
    assert (checked.kind, checked.mime) == (kind, ALLOWED_TYPES[kind][0])


def test_polish_utf8_text_with_tabs_and_crlf_is_accepted():
    content = "Sprawozdanie:\r\n\tZażółć gęślą jaźń – 100%\n".encode()
    checked = check_upload("sprawozdanie.txt", content, LIMIT)
    assert (checked.kind, checked.mime) == ("txt", "text/plain")


def test_file_exactly_at_the_limit_is_accepted():
    content = b"a" * 100
    assert check_upload("a.txt", content, max_bytes=100).size == 100


def test_missing_extension_is_replaced_by_the_canonical_one():
    assert check_upload("skan", make_jpeg(), LIMIT).filename == "skan.jpg"
    assert check_upload("wersja 1.2", make_pdf(), LIMIT).filename == "wersja 1.2.pdf"


def test_adding_the_extension_still_keeps_the_name_within_120_characters():
    filename = check_upload("x" * 200, make_pdf(), LIMIT).filename
    assert len(filename) == 120
    assert filename.endswith(".pdf")


def test_upload_name_with_path_traversal_is_stored_under_its_last_component():
    assert check_upload("../../uploads/../praca.pdf", make_pdf(), LIMIT).filename == "praca.pdf"


def test_checked_file_repr_leaves_out_the_content():
    assert "content" not in repr(check_upload("a.pdf", make_pdf(), LIMIT))


# --- size ----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert rejected("pusty.pdf", b"").code == "empty"


def test_oversize_file_is_refused_and_the_message_gives_the_limit_in_mb():
    error = rejected("duzy.pdf", make_pdf() + b"0" * (2 * MB), max_bytes=2 * MB)
    assert error.code == "too_large"
    assert "2" in str(error)


# --- type decided by content ---------------------------------------------------------------


def test_windows_executable_renamed_to_pdf_is_refused():
    assert rejected("faktura.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200).code == (
        "type_not_allowed"
    )


def test_png_named_pdf_is_an_extension_mismatch():
    assert rejected("dokument.pdf", make_png()).code == "extension_mismatch"


def test_docx_named_xlsx_is_an_extension_mismatch():
    assert rejected("tabela.xlsx", make_docx()).code == "extension_mismatch"


def test_pdf_with_unknown_extension_is_an_extension_mismatch():
    assert rejected("raport.exe", make_pdf()).code == "extension_mismatch"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"  \r\n\t<html><body>hello</body></html>",
        "\ufeff<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".encode(),
        b"<script>alert(1)</script>",
    ],
    ids=["html", "html-after-whitespace", "svg-after-bom", "script"],
)
def test_markup_renamed_to_txt_is_refused(content):
    assert rejected("notatki.txt", content).code == "type_not_allowed"


def test_text_with_control_characters_is_refused():
    assert rejected("notatki.txt", b"hello\x00world").code == "type_not_allowed"
    assert rejected("notatki.txt", b"hello\x1b[31mworld").code == "type_not_allowed"


def test_text_that_is_not_utf8_is_refused():
    assert rejected("notatki.txt", "Zażółć".encode("cp1250")).code == "type_not_allowed"


def test_pdf_html_polyglot_is_refused():
    polyglot = b"%PDF-1.4\n%<html><body><script>fetch('/api')</script></body></html>\n" + make_pdf()[9:]
    assert rejected("praca.pdf", polyglot).code == "type_not_allowed"


@pytest.mark.parametrize("marker", [b"<script", b"<SCRIPT", b"<html"])
def test_image_with_embedded_markup_is_refused(marker):
    png = make_png()
    assert rejected("obraz.png", png[:33] + marker + b">alert(1)" + png[33:]).code == "type_not_allowed"
    assert rejected("obraz.jpg", make_jpeg()[:4] + marker + make_jpeg()[4:]).code == "type_not_allowed"


def test_ordinary_zip_renamed_to_docx_is_refused():
    assert rejected("praca.docx", make_zip([("praca.txt", b"hello")])).code == "type_not_allowed"


def test_odf_whose_mimetype_is_not_the_first_member_is_refused():
    content = make_zip([("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")])
    assert rejected("notatka.odt", content).code == "type_not_allowed"


def test_odf_with_a_foreign_mimetype_is_refused():
    content = make_odf("application/vnd.oasis.opendocument.presentation")
    assert rejected("slajdy.odt", content).code == "type_not_allowed"


def test_truncated_zip_is_refused_as_damaged():
    assert rejected("plan.docx", make_docx()[:-30]).code == "unreadable"


def test_docx_whose_entry_name_is_not_utf8_is_refused_as_damaged():
    content = make_zip([("[Content_Types].xml", OOXML_TYPES), ("word/document.xml", b"<x/>"), ("word/é.xml", b"")])
    error = rejected("plan.docx", content.replace("é".encode(), b"\xff\xfe"))  # flagged UTF-8, but not UTF-8
    assert error.code == "unreadable"


@pytest.mark.parametrize("offset", [1, 0x7FFFFFFF, 0xFFFFFFFF])
def test_odt_with_a_corrupted_central_directory_offset_is_refused_as_damaged(offset):
    content = bytearray(make_odf(ALLOWED_TYPES["odt"][0]))
    content[-6:-2] = struct.pack("<I", offset)  # the end record's "central directory starts at"
    assert rejected("notatka.odt", bytes(content)).code == "unreadable"


# --- zip bombs -----------------------------------------------------------------------------


def test_zip_bomb_named_docx_is_refused_without_decompressing_anything(monkeypatch):
    bomb = make_zip(
        [
            ("[Content_Types].xml", OOXML_TYPES),
            ("word/document.xml", b"<w:document/>"),
            ("word/media/a.bin", bytes(50 * MB)),
        ]
    )
    assert len(bomb) < MB

    def no_decompression(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    assert rejected("bomba.docx", bomb).code == "zip_bomb"


def test_zip_with_more_than_10000_members_is_refused():
    members = [("[Content_Types].xml", OOXML_TYPES), ("word/document.xml", b"<w:document/>")]
    members += [(f"word/media/{i}.txt", b"") for i in range(files.ZIP_MAX_MEMBERS)]
    assert rejected("duzo.docx", make_zip(members, zipfile.ZIP_STORED)).code == "zip_bomb"


def test_zip_declaring_more_than_200_mb_in_total_is_refused(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_TOTAL_SIZE", 1000)
    members = [("[Content_Types].xml", OOXML_TYPES), ("word/document.xml", b"x" * 1000)]
    assert rejected("plan.docx", make_zip(members, zipfile.ZIP_STORED)).code == "zip_bomb"


def test_the_real_total_size_limit_is_200_mb():
    assert files.ZIP_MAX_TOTAL_SIZE == 200 * MB


# --- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Users\\Ala\\Pulpit\\praca.pdf", "praca.pdf"),
        ("/var/www/../praca.docx", "praca.docx"),
    ],
)
def test_sanitise_keeps_only_the_last_path_component(name, expected):
    assert sanitise_filename(name) == expected


def test_sanitise_shortens_a_500_character_name_to_120_keeping_the_extension():
    result = sanitise_filename("a" * 500 + ".pdf")
    assert len(result) == 120
    assert result == "a" * 116 + ".pdf"


def test_sanitise_keeps_polish_letters_readable():
    assert sanitise_filename("Mapa zasobów – Żółkiewka.pdf") == "Mapa zasobów – Żółkiewka.pdf"
    assert sanitise_filename("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż.odt") == "ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż.odt"


def test_sanitise_normalises_decomposed_letters_to_nfc():
    decomposed = "Z\u0307o\u0301łw.txt"  # Ż and ó as letter + combining mark, as macOS sends them
    assert sanitise_filename(decomposed) == "Żółw.txt"


def test_sanitise_drops_reserved_and_control_characters():
    assert sanitise_filename('a<b>c:d"e|f?g*h.pdf') == "abcdefgh.pdf"
    assert sanitise_filename("plan\x00\x07\n\u202efdp.exe") == "planfdp.exe"


def test_sanitise_collapses_whitespace_and_strips_spaces_and_dots():
    assert sanitise_filename("  ..Moja    praca \t domowa .pdf. . ") == "Moja praca domowa.pdf"


@pytest.mark.parametrize(
    ("name", "expected"), [("", "plik"), ("...", "plik"), ("???.pdf", "plik.pdf"), ("/", "plik"), (".pdf", "plik.pdf")]
)
def test_sanitise_falls_back_to_plik_when_nothing_remains(name, expected):
    assert sanitise_filename(name) == expected


def test_upload_rejected_is_a_value_error_with_a_code():
    error = rejected("a.pdf", b"")
    assert isinstance(error, ValueError)
    assert error.code == "empty"
    assert str(error)
