"""Verification codes: 80 random bits, written as four groups of four base32 letters and digits."""

import base64
import secrets

CODE_BYTES = 10  # 80 bits
# Characters people mistype for base32 ones (base32 has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    """A fresh code in its stored form, e.g. ``K3QZ7XW2MAB4TR6Y``."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def readable(code: str) -> str:
    """``K3QZ-7XW2-MAB4-TR6Y``: how the code is printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str | None:
    """The stored form of a typed code (case, dashes, spaces and look-alikes forgiven), or None if malformed."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(code) != 16 or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in code):
        return None
    return code
