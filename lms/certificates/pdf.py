"""The certificate as an A4 PDF in Polish, with a QR code of its public verification address."""

from io import BytesIO

import segno
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fpdf import FPDF

from lms.certificates import codes
from lms.certificates.models import Certificate, CertificateKind
from lms.certificates.services import issuer
from lms.content.fonts import FAMILY, add_fonts
from lms.i18n import level_name

PLATFORM = "Akademia CAL"


def qr_code(verify_url: str) -> segno.QRCode:
    """The QR code printed on the certificate: exactly the public verification address."""
    return segno.make(verify_url, error="m")


def render(certificate: Certificate, verify_url: str, credential: str | None = None) -> bytes:
    """The PDF bytes for ``certificate``, with its signed credential (a VC-JWT) attached when it has one."""
    with force_locale("pl"):
        return _render(certificate, verify_url, credential)


def _attach_credential(pdf: FPDF, certificate: Certificate, credential: str) -> None:
    """The credential as an embedded file: a verifier can take it out of the PDF and check it anywhere."""
    name = f"poswiadczenie-{codes.readable(certificate.code)}"
    pdf.embed_file(
        bytes=credential.encode("ascii"),
        basename=f"{name}.jwt",
        mime_type="application/vc+jwt",
        desc=_("Signed Open Badges 3.0 credential (VC-JWT)"),
        associated_file_relationship="Supplement",
    )


def _revoked_stamp(pdf: FPDF, certificate: Certificate) -> None:
    """A revoked certificate's PDF says so across the page, with the date and the reason."""
    with pdf.local_context(text_color=(180, 20, 20)):
        pdf.set_draw_color(180, 20, 20)
        pdf.set_line_width(1.5)
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(30, 170, 150, 38, style="DF")  # between the facts and the QR code, hiding neither
        pdf.set_xy(30, 174)
        pdf.set_font(FAMILY, size=24)
        stamp = _("REVOKED %(date)s", date=format_date(certificate.revoked_at.date(), "long"))
        pdf.cell(150, 12, stamp, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(34)
        pdf.set_font(FAMILY, size=10)
        pdf.multi_cell(142, 5, _("Reason: %(reason)s", reason=certificate.revoked_reason[:300]), align="C")


def _render(certificate: Certificate, verify_url: str, credential: str | None) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(certificate.title)
    pdf.set_author(issuer(certificate))
    add_fonts(pdf)  # from PyPI: no system fonts needed
    pdf.add_page()
    pdf.set_margins(22, 22, 22)
    pdf.set_draw_color(31, 95, 74)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)

    pdf.set_font(FAMILY, size=13)
    pdf.set_y(30)
    pdf.cell(0, 8, PLATFORM, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font(FAMILY, size=26)
    pdf.multi_cell(0, 12, certificate.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FAMILY, size=13)
    pdf.cell(0, 8, _("is awarded to") if certificate.kind is CertificateKind.INSTITUTION else _("confirms that"),
             align="C", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(4)
    pdf.set_font(FAMILY, size=22)
    holder = certificate.holder.name if certificate.holder else certificate.institution.name
    pdf.multi_cell(0, 11, holder, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=12)
    if certificate.holder:
        pdf.multi_cell(0, 7, certificate.institution.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FAMILY, size=13)
    programme_line = certificate.programme.title
    if certificate.level:
        programme_line += " — " + level_name(certificate.level)
    pdf.multi_cell(0, 7, programme_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FAMILY, size=11)
    lines = [
        _("Date of issue: %(date)s", date=format_date(certificate.issued_at.date(), "long")),
        _("Valid until: %(date)s", date=format_date(certificate.valid_until, "long"))
        if certificate.valid_until
        else _("Valid indefinitely"),
        _("Issued by: %(issuer)s", issuer=issuer(certificate)),
        _("Verification code: %(code)s", code=codes.readable(certificate.code)),
    ]
    for line in lines:  # wrapped: an organiser's name may run to 200 characters
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")

    image = BytesIO()
    qr_code(verify_url).save(image, kind="png", scale=6, border=2)
    image.seek(0)
    pdf.image(image, x=80, y=212, w=50, h=50)
    pdf.set_y(264)
    pdf.set_font(FAMILY, size=9)
    pdf.cell(0, 5, _("Check this certificate at:"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, verify_url, align="C", new_x="LMARGIN", new_y="NEXT")
    if certificate.revoked_at is not None:
        _revoked_stamp(pdf, certificate)
    if credential:
        _attach_credential(pdf, certificate, credential)
    return bytes(pdf.output())
