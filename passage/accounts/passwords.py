"""Password rules after NIST SP 800-63B section 3.1.1.2: at least 12 characters, up to 128
so that passphrases fit, and not on a list of passwords known to attackers. There are no
rules about which kinds of character a password must hold.

The bundled list (`data/breached-passwords.txt.gz`, one lowercased password a line) is
built by `build_breached_list` from the list Django ships with
`CommonPasswordValidator`: the 19,640 most common passwords from leaked password
databases, gathered by Royce Williams. Each entry is kept, and so are the variations people
(and the tools that guess passwords) make of it: a trailing digit run, a year, an
exclamation mark, the word twice (226,792 entries in all). These variations are generated,
not taken from a breach; they stand for the longer passwords that a 12-character minimum
pushes people towards, which the short entries of Django's list alone would not catch.
"""

import gzip
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"
SUFFIXES = ("1", "12", "123", "1234", "12345", "123456", "!", "1!", "2024", "2025")


class MaximumLengthValidator:
    """Refuse only what is too long to be a passphrase (NIST asks to allow at least 64)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. Use %(max_length)d character or fewer.",
                    "This password is too long. Use %(max_length)d characters or fewer.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password can be up to %(max_length)d character long.",
            "Your password can be up to %(max_length)d characters long.",
            self.max_length,
        ) % {"max_length": self.max_length}


class BreachedPasswordValidator:
    """Refuse a password on the bundled list of breached and common passwords."""

    def __init__(self, path: Path | str = BREACHED_LIST) -> None:
        self.path = Path(path)

    def validate(self, password: str, user: object = None) -> None:
        if password.lower().strip() in _load(self.path):
            raise ValidationError(
                _(
                    "This password is on a list of passwords that attackers try first. "
                    "Choose another one: a few unrelated words make a strong password."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be one that attackers know from leaked lists.")


@cache
def _load(path: Path) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def variations(password: str) -> Iterator[str]:
    """The password and the common variations of it that guessing tools try."""
    yield password
    for suffix in SUFFIXES:
        yield password + suffix
    yield password + password


def build_breached_list(common: Iterable[str]) -> list[str]:
    """The bundled list, sorted, from Django's common passwords and their variations."""
    entries = {variant for word in common for variant in variations(word.strip().lower())}
    entries.discard("")
    return sorted(entries)


def django_common_passwords() -> list[str]:
    """The list Django's `CommonPasswordValidator` ships with."""
    path = Path(password_validation.__file__).parent / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [line.strip() for line in lines if line.strip()]
