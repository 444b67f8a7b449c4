"""Receipt numbers: what a client keeps for a submission the spool received. They are
random (128 bits from `secrets`), so that knowing one says nothing of another."""

import base64
import re
import secrets

PREFIX = "R"
RECEIPT_SHAPE = re.compile(r"^R[A-Z2-7]{26}$")


def new_receipt() -> str:
    """A fresh receipt number: "R" and 26 letters and digits (base32 of 16 random bytes)."""
    return PREFIX + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=")


def is_receipt(text: str) -> bool:
    """Whether `text` has the shape of a receipt number (not whether one was given)."""
    return bool(RECEIPT_SHAPE.match(text))
