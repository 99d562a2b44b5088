"""Every interface string has a Polish translation (Polish is the default language)."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent


def test_every_interface_string_is_translated_to_polish(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (ROOT / "translations/pl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    translated = {
        message.id
        for message in catalogue
        if message.id
        and "fuzzy" not in message.flags
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(str(m) for m in wanted - translated)
    assert not missing, f"untranslated (run `make translations-update` and translate): {missing}"
