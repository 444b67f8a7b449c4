"""The virus-scan hook: every uploaded document passes through it before it is stored.

`PASSAGE_VIRUS_SCANNER` names a callable that takes the file's bytes and returns None
when they are clean, or a short reason when they are not (for the logs; the person sees
a plain message). The default scans nothing: plug in a scanner such as ClamAV with a
small function that sends the bytes to it.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

Scanner = Callable[[bytes], str | None]


def no_scan(content: bytes) -> str | None:
    """The default scanner: every file is clean."""
    return None


def scanner() -> Scanner:
    found: Scanner = import_string(settings.PASSAGE_VIRUS_SCANNER)
    return found


def scan(content: bytes) -> str | None:
    """None when the configured scanner finds the bytes clean, else its reason."""
    return scanner()(content)
