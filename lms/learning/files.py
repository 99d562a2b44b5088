"""Checking files that learners attach to assignment submissions: size, real type, safe name."""

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from flask_babel import gettext as _

from lms.privacy.metadata import MetadataError, strip_metadata

# kind -> (MIME type, allowed extensions); the first extension is the canonical one.
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "txt": ("text/plain", (".txt",)),
}
FORMAT_LABELS = "PDF, JPG, PNG, ODT, ODS, DOCX, XLSX, TXT"
MAX_NAME_LENGTH = 120
FALLBACK_STEM = "plik"
ZIP_MAX_TOTAL_SIZE = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 10_000
ODF_MIMETYPE_MAX_SIZE = 100
SNIFF_WINDOW = 1024
_MAGIC = (("pdf", b"%PDF-"), ("png", b"\x89PNG\r\n\x1a\n"), ("jpeg", b"\xff\xd8\xff"))
_ACTIVE_MARKUP = (b"<script", b"<html")
_FORBIDDEN_CHARS = set('<>:"/\\|?*')
_EXTENSION = re.compile(r"\.(?=[A-Za-z0-9]{0,4}[A-Za-z])[A-Za-z0-9]{1,5}$")
# What zipfile raises on bytes that only look like an archive: besides BadZipFile, a corrupt central
# directory offset gives ValueError ("negative seek value"), an entry name flagged UTF-8 that is not
# UnicodeDecodeError (a ValueError too), truncated headers struct.error or EOFError, and so on.
_ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError, ValueError, struct.error,
    KeyError, IndexError, OverflowError,
)  # fmt: skip


class UploadRejected(ValueError):
    """An upload that must not be stored; ``code`` is machine-readable, ``str(error)`` is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be stored."""

    filename: str
    mime: str
    kind: str
    size: int
    sha256: str
    content: bytes = field(repr=False)


def _label(kind: str) -> str:
    return "JPG" if kind == "jpeg" else kind.upper()


def _not_allowed() -> UploadRejected:
    return UploadRejected(
        "type_not_allowed", _("This file type is not allowed. Allowed formats: %(formats)s.", formats=FORMAT_LABELS)
    )


def _split_extension(name: str) -> tuple[str, str]:
    """Split off an extension: 1-5 ASCII letters/digits, at least one letter ("v1.2" has none)."""
    match = _EXTENSION.search(name)
    return (name[: match.start()], match.group()) if match else (name, "")


def sanitise_filename(name: str) -> str:
    """Return a safe, readable file name: last path component only, no control or reserved characters."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", name)[-1])
    name = "".join(c for c in name if c not in _FORBIDDEN_CHARS and not unicodedata.category(c).startswith("C"))
    stem, extension = _split_extension(re.sub(r"\s+", " ", name).rstrip(" ."))
    stem = stem.strip(" .")[: MAX_NAME_LENGTH - len(extension)].rstrip(" .")
    return (stem or FALLBACK_STEM) + extension


def _read_archive(content: bytes) -> tuple[list[zipfile.ZipInfo], str]:
    """A ZIP's members (its central directory) and its ODF ``mimetype`` member ("" if none).

    Raises UploadRejected when the archive cannot be read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            first = members[0] if members else None
            if not (first and first.filename == "mimetype" and first.file_size < ODF_MIMETYPE_MAX_SIZE):
                return members, ""
            with archive.open(first) as handle:
                return members, handle.read(ODF_MIMETYPE_MAX_SIZE).decode("ascii", "replace")
    except _ZIP_ERRORS:
        raise UploadRejected(
            "unreadable", _("This file is damaged and cannot be opened. Save it again or choose another file.")
        ) from None


def _check_zip(content: bytes) -> str:
    """Return the kind of an office document in a ZIP, reading only the central directory (and ODF's mimetype)."""
    members, mimetype = _read_archive(content)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or sum(m.file_size for m in members) > ZIP_MAX_TOTAL_SIZE
        or any(m.file_size > ZIP_MAX_RATIO * m.compress_size for m in members)
    ):
        raise UploadRejected("zip_bomb", _("This file could not be checked safely. Choose another file."))
    for kind in ("odt", "ods"):
        if mimetype == ALLOWED_TYPES[kind][0]:
            return kind
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    raise _not_allowed()


def _is_plain_text(content: bytes) -> bool:
    """True for UTF-8 text with no control characters but tab/CR/LF that does not start like markup."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in text):
        return False
    return not text.lstrip("\ufeff").lstrip().startswith("<")


def detect_kind(content: bytes) -> str:
    """Return the allowed kind of ``content`` judged by its bytes alone, or raise UploadRejected."""
    for kind, magic in _MAGIC:
        if content.startswith(magic):
            head = content[:SNIFF_WINDOW].lower()
            if any(marker in head for marker in _ACTIVE_MARKUP):
                raise _not_allowed()
            return kind
    if content.startswith(b"PK\x03\x04"):
        return _check_zip(content)
    if _is_plain_text(content):
        return "txt"
    raise _not_allowed()


def check_upload(name: str, content: bytes, max_bytes: int) -> CheckedFile:
    """Validate an upload (size, real type, extension) and return it with a safe name, or raise UploadRejected."""
    if not content:
        raise UploadRejected("empty", _("The file is empty."))
    if len(content) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0")
        raise UploadRejected("too_large", _("The file is too large. The limit is %(limit)s MB.", limit=limit))
    kind = detect_kind(content)
    mime, extensions = ALLOWED_TYPES[kind]
    filename = sanitise_filename(name)
    extension = _split_extension(filename)[1].lower()
    if not extension:
        filename = sanitise_filename(filename + extensions[0])
    elif extension not in extensions:
        message = _(
            "The file name ends with %(extension)s, but the file is really %(kind)s. Rename it or choose another file.",
            extension=extension,
            kind=_label(kind),
        )
        raise UploadRejected("extension_mismatch", message)
    content = _without_metadata(kind, content)
    return CheckedFile(filename, mime, kind, len(content), hashlib.sha256(content).hexdigest(), content)


def _without_metadata(kind: str, content: bytes) -> bytes:
    """The bytes to store: what the file says about its author and place removed (lms.privacy)."""
    try:
        return strip_metadata(kind, content)
    except MetadataError as error:
        if str(error) == "encrypted":
            message = _("This PDF is password-protected. Save it without a password and try again.")
            raise UploadRejected("encrypted", message) from None
        raise UploadRejected(
            "unreadable", _("This file is damaged and cannot be opened. Save it again or choose another file.")
        ) from None
