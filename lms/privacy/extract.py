"""The readable text of an attachment (TXT, DOCX, ODT, XLSX, ODS, PDF), for the personal data check.

Only text is read; a file that cannot be read yields nothing (the check warns, it never refuses).
"""

import html
import io
import re
import zipfile
from collections.abc import Iterable

from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_PAGES = 200
MAX_CHARACTERS = 500_000
# Paragraph and row ends become line breaks, cell ends tabs; other tags vanish (Word splits words into runs).
_BREAKS = {
    "docx": (("word/document.xml",), re.compile(r"</w:p>|<w:br/>"), re.compile(r"</w:tc>|<w:tab/>")),
    "odt": (("content.xml",), re.compile(r"</text:(?:p|h)>|<text:line-break/>"), re.compile(r"</table:table-cell>")),
    "xlsx": (("xl/sharedStrings.xml",), re.compile(r"</si>"), re.compile(r"$^")),
}
_BREAKS["ods"] = (("content.xml",), re.compile(r"</table:table-row>"), re.compile(r"</table:table-cell>"))
_TAG = re.compile(r"<[^>]+>")
_ODF_SPACE = re.compile(r"<text:s(?: text:c=\"(\d+)\")?/>")


def readable_pages(kind: str, content: bytes) -> Iterable[tuple[int, str]]:
    """(page, text) parts of the file: one part (page 1) for all kinds but PDF, one per page for PDF."""
    if kind == "txt":
        yield 1, content.decode("utf-8", "replace")[:MAX_CHARACTERS].lstrip("\ufeff")
    elif kind in _BREAKS:
        text = _office_text(kind, content)
        if text:
            yield 1, text
    elif kind == "pdf":
        yield from _pdf_pages(content)


def _office_text(kind: str, content: bytes) -> str:
    parts, line_break, cell_break = _BREAKS[kind]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = "".join(archive.read(part).decode("utf-8", "replace") for part in parts if part in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError):
        return ""
    xml = _ODF_SPACE.sub(lambda match: " " * int(match.group(1) or 1), xml[: MAX_CHARACTERS * 4])
    xml = cell_break.sub("\t", line_break.sub("\n", xml))
    return html.unescape(_TAG.sub("", xml))[:MAX_CHARACTERS]


def _pdf_pages(content: bytes) -> Iterable[tuple[int, str]]:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return
        total = 0
        for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
            text = page.extract_text() or ""
            total += len(text)
            yield number, text
            if total > MAX_CHARACTERS:
                return
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return
