"""Uploaded files give nothing away: real files carrying author, place and editor fields lose them."""

import hashlib
import io
import struct
import zipfile

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from lms.learning.files import UploadRejected, check_upload

LIMIT = 10 * 1024 * 1024
SECRET = "Jan Kowalski"  # what every test file carries in its hidden fields
GPS_IFD, ARTIST, ORIENTATION, MAKE = 0x8825, 0x013B, 0x0112, 0x010F
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{SECRET}"/></rdf:RDF></x:xmpmeta>'
)


def exif_with_gps_and_author(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ARTIST] = SECRET
    exif[MAKE] = "Telefon Kowalskiego"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 13.0, 47.0), 3: "E", 4: (21.0, 0.0, 41.0)}
    return exif


def iptc_segment() -> bytes:
    """An APP13 Photoshop/IPTC segment naming the photographer (record 2, dataset 80: By-line)."""
    by_line = SECRET.encode()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(by_line)) + by_line
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_everything(orientation: int = 1) -> bytes:
    """A 4x2 photo, left half red and right half blue, with EXIF (GPS, author), XMP, IPTC and a comment."""
    image = Image.new("RGB", (4, 2), "red")
    image.paste("blue", (2, 0, 4, 2))
    buffer = io.BytesIO()
    exif = exif_with_gps_and_author(orientation)
    image.save(buffer, "JPEG", quality=100, exif=exif, xmp=XMP.encode(), comment=SECRET)
    data = buffer.getvalue()
    return data[:2] + iptc_segment() + data[2:]


def png_with_everything() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_itxt("XML:com.adobe.xmp", XMP)
    buffer = io.BytesIO()
    Image.new("RGBA", (3, 3), (0, 128, 0, 255)).save(buffer, "PNG", pnginfo=info, exif=exif_with_gps_and_author())
    return buffer.getvalue()


def zip_file(members: dict[str, str], first_stored: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr("mimetype", first_stored, compress_type=zipfile.ZIP_STORED)
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


CORE = (
    '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<dc:creator>{SECRET}</dc:creator><cp:lastModifiedBy>{SECRET}</cp:lastModifiedBy></cp:coreProperties>"
)
APP = (
    '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Company>OPS Kowalscy</Company><Manager>Jan Kowalski</Manager></Properties>"
)
TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_with_author() -> bytes:
    comment = f'<w:comments xmlns:w="w"><w:comment w:id="0" w:author="{SECRET}" w:initials="JK"/></w:comments>'
    return zip_file(
        {
            "[Content_Types].xml": TYPES,
            "word/document.xml": "<w:document><w:body><w:p>Plan pracy</w:p></w:body></w:document>",
            "word/comments.xml": comment,
            "docProps/core.xml": CORE,
            "docProps/app.xml": APP,
        }
    )


def xlsx_with_author() -> bytes:
    return zip_file(
        {
            "[Content_Types].xml": TYPES,
            "xl/workbook.xml": "<workbook/>",
            "docProps/core.xml": CORE,
            "docProps/app.xml": APP,
        }
    )


def odt_with_author() -> bytes:
    meta = (
        '<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<office:meta><meta:initial-creator>{SECRET}</meta:initial-creator><dc:creator>{SECRET}</dc:creator>"
        "</office:meta></office:document-meta>"
    )
    return zip_file(
        {"META-INF/manifest.xml": "<manifest/>", "content.xml": "<office:document-content/>", "meta.xml": meta},
        first_stored="application/vnd.oasis.opendocument.text",
    )


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": SECRET, "/Creator": "Word (Jan Kowalski)", "/Title": "Lista obecności"})
    writer.xmp_metadata = XMP.encode()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def assert_stored_hash_is_of_stored_bytes(checked) -> None:
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert checked.size == len(checked.content)


def test_the_test_files_really_carry_what_must_go():
    with Image.open(io.BytesIO(jpeg_with_everything())) as image:
        assert image.getexif().get_ifd(GPS_IFD) and {"xmp", "comment", "photoshop"} <= set(image.info)
    with Image.open(io.BytesIO(png_with_everything())) as image:
        assert image.getexif()[ARTIST] == SECRET and image.text["Author"] == SECRET
    reader = PdfReader(io.BytesIO(pdf_with_author()))
    assert reader.metadata["/Author"] == SECRET and "/Metadata" in reader.trailer["/Root"]


def test_a_photo_loses_exif_gps_xmp_iptc_and_comment():
    original = jpeg_with_everything()
    checked = check_upload("zdjecie.jpg", original, LIMIT)
    assert SECRET.encode() not in checked.content
    assert b"Photoshop 3.0" not in checked.content and b"xmpmeta" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info)
        assert image.size == (4, 2)
    assert_stored_hash_is_of_stored_bytes(checked)
    assert checked.sha256 != hashlib.sha256(original).hexdigest()


def test_a_photo_taken_sideways_is_stored_as_the_person_saw_it():
    """EXIF orientation 6 means "rotate 90° clockwise to view": the stored pixels are already turned."""
    checked = check_upload("bokiem.jpg", jpeg_with_everything(orientation=6), LIMIT)
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (2, 4)
        top, bottom = image.convert("RGB").getpixel((0, 0)), image.convert("RGB").getpixel((0, 3))
    assert top[0] > 200 and top[2] < 60  # red on top: the left half, turned clockwise
    assert bottom[2] > 200 and bottom[0] < 60


def test_a_png_loses_its_text_chunks_exif_and_xmp_but_keeps_its_pixels():
    checked = check_upload("schemat.png", png_with_everything(), LIMIT)
    assert SECRET.encode() not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif() and not getattr(image, "text", {})
        assert image.convert("RGBA").getpixel((1, 1)) == (0, 128, 0, 255)
    assert_stored_hash_is_of_stored_bytes(checked)


@pytest.mark.parametrize(
    ("name", "build", "property_parts"),
    [
        ("plan.docx", docx_with_author, ("docProps/core.xml", "docProps/app.xml")),
        ("lista.xlsx", xlsx_with_author, ("docProps/core.xml", "docProps/app.xml")),
        ("opis.odt", odt_with_author, ("meta.xml",)),
    ],
)
def test_office_documents_lose_author_company_and_last_editor(name, build, property_parts):
    checked = check_upload(name, build(), LIMIT)
    with zipfile.ZipFile(io.BytesIO(checked.content)) as archive:
        everything = b"".join(archive.read(member) for member in archive.namelist())
        for part in property_parts:
            text = archive.read(part).decode()
            for field in ("creator", "lastModifiedBy", "Company", "Manager", "initial-creator"):
                assert field not in text
        if name.endswith(".odt"):  # ODF readers need the mimetype first and uncompressed
            first = archive.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert SECRET.encode() not in everything and b"Kowalsk" not in everything
    assert_stored_hash_is_of_stored_bytes(checked)


def test_a_word_document_keeps_its_text():
    checked = check_upload("plan.docx", docx_with_author(), LIMIT)
    with zipfile.ZipFile(io.BytesIO(checked.content)) as archive:
        assert "Plan pracy" in archive.read("word/document.xml").decode()


def test_a_pdf_loses_its_information_dictionary_and_xmp_but_keeps_its_pages():
    original = pdf_with_author()
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == SECRET
    checked = check_upload("lista.pdf", original, LIMIT)
    reader = PdfReader(io.BytesIO(checked.content))
    assert not reader.metadata
    assert "/Info" not in reader.trailer and "/Metadata" not in reader.trailer["/Root"]
    assert SECRET.encode() not in checked.content
    assert len(reader.pages) == 1
    assert_stored_hash_is_of_stored_bytes(checked)


def test_a_password_protected_pdf_is_refused_with_a_clear_message():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": SECRET})
    writer.encrypt("tajne")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UploadRejected) as rejected:
        check_upload("zaszyfrowany.pdf", buffer.getvalue(), LIMIT)
    assert rejected.value.code == "encrypted"


def test_an_image_pillow_cannot_decode_is_refused_as_damaged():
    truncated = jpeg_with_everything()[:40]
    with pytest.raises(UploadRejected) as rejected:
        check_upload("zepsute.jpg", truncated, LIMIT)
    assert rejected.value.code == "unreadable"


def test_plain_text_is_stored_as_it_came():
    content = b"Notatka ze spotkania"
    checked = check_upload("notatka.txt", content, LIMIT)
    assert checked.content == content and checked.sha256 == hashlib.sha256(content).hexdigest()
