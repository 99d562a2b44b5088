"""The answer templates and the workbook open in LibreOffice (issue 15, done when): converted headless, their
Polish text is still there. LibreOffice is not in CI (about 84 MB to download, 259 MB installed, and tens of
seconds per conversion on a busy machine); the test runs where `soffice` is installed and skips elsewhere:
apt-get install --no-install-recommends libreoffice-writer-nogui."""

import re
import shutil
import subprocess
import zipfile

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice (soffice) not installed"
)


def soffice(tmp_path, *args: str) -> None:
    # A profile of its own: another LibreOffice running on the machine must not receive the job instead.
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", *args, "--outdir", str(tmp_path / "out")]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_answer_templates_and_the_workbook_open_in_libreoffice(client, mini_programme, tmp_path):
    module = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    for fmt in ("docx", "odt"):
        url = re.search(rf'href="([^"]+/template\.{fmt})"', module).group(1)
        (tmp_path / f"template-{fmt}.{fmt}").write_bytes(client.get(url).get_data())
    programme = client.get("/programmes/mini/").get_data(as_text=True)
    url = re.search(r'href="([^"]+/levels/1/workbook\.pdf)"', programme).group(1)
    (tmp_path / "workbook.pdf").write_bytes(client.get(url).get_data())

    soffice(tmp_path, "--convert-to", "pdf", str(tmp_path / "template-docx.docx"), str(tmp_path / "template-odt.odt"))
    for fmt in ("docx", "odt"):
        pdf = tmp_path / "out" / f"template-{fmt}.pdf"
        text = words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        for expected in (
            "Mój profil animatora",
            "Twoja odpowiedź",
            "1. Profil wymienia trzy zasoby.",
            "2. Plan ma termin.",
        ):
            assert expected in text, (fmt, expected)

    # LibreOffice reads a PDF through its PDF import (text frames, as Draw shows them) into a Writer document.
    soffice(tmp_path, "--infilter=writer_pdf_import", "--convert-to", "odt", str(tmp_path / "workbook.pdf"))
    content = zipfile.ZipFile(tmp_path / "out" / "workbook.odt").read("content.xml").decode()
    text = words(re.sub(r"<[^>]+>", " ", re.sub(r"<text:s[^>]*/>", " ", content)))
    for expected in ("Zeszyt ćwiczeń", "Wersja treści", "Cele szkoleniowe", "Kryteria oceny", "Notatki"):
        assert expected in text, expected
