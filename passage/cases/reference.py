"""Public reference numbers: random, so not guessable, with a Damm check digit that
catches every single-digit typo and every swap of two adjacent digits."""

import re
import secrets

PREFIX = "P"
RANDOM_DIGITS = 14

_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SHAPE = re.compile(rf"^{PREFIX}\d{{{RANDOM_DIGITS + 1}}}$")


def damm_check_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM_TABLE[interim][int(char)]
    return interim


def new_reference() -> str:
    """A fresh reference such as P123456789012345 (the last digit checks the others)."""
    body = "".join(str(secrets.randbelow(10)) for _ in range(RANDOM_DIGITS))
    return f"{PREFIX}{body}{damm_check_digit(body)}"


def normalise_reference(text: str) -> str:
    """Accept what people type: lower case, spaces and dashes."""
    return re.sub(r"[\s-]", "", text).upper()


def is_valid_reference(text: str) -> bool:
    reference = normalise_reference(text)
    return bool(_SHAPE.match(reference)) and damm_check_digit(reference[1:]) == 0
