"""The level workbook (issue 15, part 3): a PDF of the level's modules, goals, assignments and criteria with room
for notes, naming its content version, kept per content version; its Polish text survives pdftotext."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content import workbook
from lms.content.models import Programme
from lms.extensions import db


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "workbook.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_the_programme_page_offers_each_level_s_workbook_with_its_content(client, mini_programme, tmp_path):
    html = client.get("/programmes/mini/").get_data(as_text=True)
    url = re.search(r'href="([^"]+/levels/1/workbook\.pdf)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", pdf_text(tmp_path, response.get_data()))
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    for expected in (
        "Zeszyt ćwiczeń", f"Wersja treści {programme.content_hash[:12]}", "Pierwszy moduł", "Cele szkoleniowe",
        "Znasz pięć standardów CAL.", "Czym jest CAL", "Zadanie: Mój profil animatora", "Kryteria oceny",
        "1. Profil wymienia trzy zasoby.", "2. Plan ma termin.", "Notatki",
    ):  # fmt: skip
        assert expected in text, expected
    assert f"-1-{programme.content_hash[:12]}.pdf" in response.headers["Content-Disposition"]


def test_a_workbook_is_built_once_per_content_version(app, mini_programme):
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    version = workbook.content_version(programme)
    folder = Path(app.instance_path, "workbooks")
    folder.mkdir(parents=True, exist_ok=True)
    printed_before = folder / f"{programme.id}-1-{version}-pl.pdf"  # kept before the fallback font: arrows missing
    printed_before.write_bytes(b"%PDF-old")
    first = workbook.cached(programme.id, 1, version, "pl")
    assert first != b"%PDF-old"
    printed_before.unlink()
    kept = next(Path(app.instance_path, "workbooks").glob(f"{programme.id}-1-{version}-pl-p{workbook.PRINTING}.pdf"))
    kept.write_bytes(first + b"%kept")  # marks the kept copy: a second call must read it, not build again
    assert workbook.cached(programme.id, 1, version, "pl") == first + b"%kept"
    kept.unlink()


def test_an_unknown_level_has_no_workbook(client, mini_programme):
    assert client.get("/programmes/mini/levels/9/workbook.pdf").status_code == 404
