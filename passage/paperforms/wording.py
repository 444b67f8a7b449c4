"""What reading a scan found wrong, in the clerk's language. The reader and the codec
word their problems as the public spec does, in English (`passage forms read` prints
them so); the intake pages say the same in English or French."""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_Wording = Callable[[re.Match[str]], str]
# Each problem the reader, the codec or the document check gives, and how it is said.
_PROBLEMS: tuple[tuple[re.Pattern[str], _Wording], ...] = (
    (
        re.compile(r"^symbol (\d+) of (\d+) not found$"),
        lambda m: (
            _("Barcode %(index)s of %(count)s was not found.") % {"index": m[1], "count": m[2]}
        ),
    ),
    (
        re.compile(r"^symbol (\d+) of (\d+) appears twice with different content$"),
        lambda m: (
            _("Barcode %(index)s of %(count)s appears twice with different content.")
            % {"index": m[1], "count": m[2]}
        ),
    ),
    (
        re.compile(r"^CRC mismatch$"),
        lambda m: _(
            "CRC mismatch: the barcodes were read but do not add up to the form they were "
            "printed with."
        ),
    ),
    (re.compile(r"^no symbol was found$"), lambda m: _("No barcode was found on the scan.")),
    (
        re.compile(r"^the symbols belong to different forms or printings$"),
        lambda m: _("The barcodes belong to different forms or printings."),
    ),
    (
        re.compile(r"^unknown form '(.*)'$"),
        lambda m: (
            _("The barcodes are of a form Passage does not know (%(form)s).") % {"form": m[1]}
        ),
    ),
    (
        re.compile(r"^the file is not a PDF, PNG or JPEG image$"),
        lambda m: _("The file is not a PDF, PNG or JPEG image."),
    ),
)


def problems_in_words(problems: list[str]) -> list[str]:
    """Each problem of a scan as the page says it: the known ones in the active language,
    any other as the reader gave it (a field of the document, a damaged file)."""
    said: list[str] = []
    for problem in problems:
        for part in problem.split("; "):
            said.append(_worded(part))
    return said


def _worded(problem: str) -> str:
    for pattern, wording in _PROBLEMS:
        found = pattern.match(problem)
        if found:
            return wording(found)
    return problem
