"""An assignment's answer template, to write in a word processor offline: DOCX and ODT.

Its title, its instructions, and one heading per review criterion with an empty paragraph to write under. The
files are written by hand (a few XML parts in a ZIP), with real heading styles, so that a word processor shows
the outline; an upload of the filled file passes the same checks as any DOCX or ODT (lms/learning/files.py).
"""

import io
import re
import zipfile
from html import unescape
from typing import NamedTuple
from xml.sax.saxutils import escape

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|dd|dt|blockquote|pre)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\n]+")  # not \s: no-break spaces stay


class Sheet(NamedTuple):
    """What the template says, in the interface language: (level, text) headings and paragraphs in order."""

    blocks: list[tuple[int, str]]  # level 0 is a paragraph


def sheet(title: str, instructions_html: str, criteria: list[str], labels: dict[str, str]) -> Sheet:
    """The template's blocks: title, instructions as plain paragraphs, a heading per criterion to write under."""
    blocks = [(1, title), (2, labels["instructions"])]
    # Markdown keeps the source's line breaks inside a paragraph: they are spaces, only block ends start a new one.
    text = unescape(_TAG.sub("", _BLOCK_END.sub("\n", _SPACES.sub(" ", instructions_html))))
    blocks += [(0, line.strip()) for line in text.splitlines() if line.strip()]
    blocks.append((2, labels["answer"]))
    blocks.append((0, labels["hint"]))
    for number, criterion in enumerate(criteria, 1):
        blocks += [(3, f"{number}. {criterion}"), (0, "")]
    return Sheet(blocks)


def _zip(parts: list[tuple[str, str]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, text) in enumerate(parts):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)


def _docx_heading_style(level: int, size: int) -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        f'<w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>'
    )


_DOCX_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {_W}>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="24"/></w:rPr>'
    f"</w:style>{_docx_heading_style(1, 36)}{_docx_heading_style(2, 30)}{_docx_heading_style(3, 26)}</w:styles>"
)


def docx(content: Sheet) -> bytes:
    paragraphs = []
    for level, text in content.blocks:
        style = f'<w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>' if level else ""
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        paragraphs.append(f"<w:p>{style}{run}</w:p>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
        + "".join(paragraphs)
        + "</w:body></w:document>"
    )
    return _zip(
        [
            ("[Content_Types].xml", _DOCX_TYPES),
            ("_rels/.rels", _DOCX_RELS),
            ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
            ("word/styles.xml", _DOCX_STYLES),
            ("word/document.xml", document),
        ]
    )


_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"'
)
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_TYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _odt_heading_style(level: int, size: str) -> str:
    return (
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" style:family="paragraph" '
        f'style:default-outline-level="{level}"><style:paragraph-properties fo:margin-top="0.4cm" '
        f'fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="{size}" '
        'fo:font-weight="bold"/></style:style>'
    )


_ODT_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODF_NAMESPACES}><office:styles>'
    '<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties '
    'fo:margin-bottom="0.2cm" fo:line-height="125%"/><style:text-properties fo:font-size="12pt"/></style:style>'
    f"{_odt_heading_style(1, '18pt')}{_odt_heading_style(2, '15pt')}{_odt_heading_style(3, '13pt')}"
    "</office:styles></office:document-styles>"
)


def odt(content: Sheet) -> bytes:
    blocks = []
    for level, text in content.blocks:
        if level:
            blocks.append(
                f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{escape(text)}</text:h>'
            )
        else:
            blocks.append(f'<text:p text:style-name="Standard">{escape(text)}</text:p>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}>'
        "<office:body><office:text>" + "".join(blocks) + "</office:text></office:body></office:document-content>"
    )
    return _zip(
        [
            ("mimetype", ODT_TYPE),  # first and stored: how ODF readers (and our upload check) know the type
            ("META-INF/manifest.xml", _ODT_MANIFEST),
            ("styles.xml", _ODT_STYLES),
            ("content.xml", document),
        ],
        stored_first=True,
    )
