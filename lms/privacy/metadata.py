"""Removing what an uploaded file says about its author and place: EXIF/GPS/XMP/IPTC in images,
author, company and last editor in office documents, the information dictionary of a PDF.

Each function takes the bytes of a file whose kind has already been checked and returns the bytes
to store; the stored SHA-256 is computed from these, not from the upload.
"""

import io
import re
import warnings
import zipfile

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

# Parts of office documents that hold the document's properties, rewritten with nothing personal in them.
_OOXML_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_OOXML_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_OOXML_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)
_ODF_META = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' office:version="1.2"><office:meta/></office:document-meta>'
)
_REPLACED_PARTS = {
    "docx": {"docProps/core.xml": _OOXML_CORE, "docProps/app.xml": _OOXML_APP, "docProps/custom.xml": _OOXML_CUSTOM},
    "odt": {"meta.xml": _ODF_META},
}
_REPLACED_PARTS["xlsx"] = _REPLACED_PARTS["docx"]
_REPLACED_PARTS["ods"] = _REPLACED_PARTS["odt"]
# Word keeps the names of those who commented or tracked changes in the document parts themselves.
_AUTHOR_ATTRIBUTE = re.compile(rb'(\bw(?:15)?:(?:author|initials|userId))="[^"]*"')
_JPEG_QUALITY = 92


class MetadataError(ValueError):
    """A file whose metadata could not be removed (so it must not be stored)."""


def strip_metadata(kind: str, content: bytes) -> bytes:
    """The bytes to store for a file of ``kind`` (as ``lms.learning.files`` names kinds)."""
    if kind in ("jpeg", "png"):
        return _clean_image(kind, content)
    if kind in _REPLACED_PARTS:
        return _clean_office(kind, content)
    if kind == "pdf":
        return _clean_pdf(content)
    return content  # plain text carries no hidden fields


def _clean_image(kind: str, content: bytes) -> bytes:
    """Re-encode the pixels alone, turned as the person saw them (EXIF orientation applied)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                icc_profile = image.info.get("icc_profile")  # colours, not a person
                transparency = image.info.get("transparency")
                upright = ImageOps.exif_transpose(image)
        upright.info = {}  # Pillow copies comments and XMP from ``info`` unless told otherwise
        output = io.BytesIO()
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if kind == "jpeg":
            if upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            upright.save(output, "JPEG", quality=_JPEG_QUALITY, optimize=True, **options)
        else:
            if transparency is not None and upright.mode in ("P", "L", "RGB"):
                options["transparency"] = transparency
            upright.save(output, "PNG", optimize=True, **options)
        return output.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MetadataError("image") from None


def _clean_office(kind: str, content: bytes) -> bytes:
    """Rewrite the archive member by member, replacing the property parts (ODF's ``mimetype`` stays first)."""
    replacements = _REPLACED_PARTS[kind]
    output = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w") as target:
            for member in source.infolist():
                data = source.read(member)
                if member.filename in replacements:
                    data = replacements[member.filename].encode()
                elif kind == "docx" and member.filename.startswith("word/") and member.filename.endswith(".xml"):
                    data = _AUTHOR_ATTRIBUTE.sub(rb'\1=""', data)
                info = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = member.compress_type
                info.external_attr = member.external_attr
                target.writestr(info, data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError):
        raise MetadataError("office") from None
    return output.getvalue()


def _clean_pdf(content: bytes) -> bytes:
    """Copy the pages without the document information dictionary and the catalogue's XMP stream.

    A PDF with neither is stored as it came: ``/Info`` can only stand in the (never compressed) trailer
    or cross-reference stream, and ``/Metadata`` could hide only inside a compressed object stream.
    """
    if b"/Info" not in content and b"/Metadata" not in content and b"/ObjStm" not in content:
        return content
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise MetadataError("encrypted")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        if "/Metadata" in root:
            del root["/Metadata"]
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)  # the old dictionary too
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
    except MetadataError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise MetadataError("pdf") from None
