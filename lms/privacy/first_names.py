"""Common Polish first names, for spotting lists of people in attempts and attachments (see first_names.txt)."""

from pathlib import Path

_LIST = Path(__file__).with_name("first_names.txt")
FIRST_NAMES = frozenset(
    line.strip() for line in _LIST.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
)
