"""Case references as clients write them in email: `P` and 15 digits, the last a Damm check
digit, in any case, with spaces or dashes, after "file", "dossier", "n°" or on its own."""

import re

from passage.cases.reference import is_valid_reference, normalise_reference

# A `P` that starts a word (not the end of "UP123..." or a passport's "AP..."), then 15
# ASCII digits with at most one space or dash between any two, and no more digits after
# (neither a 16th nor a group that would make it part of a longer number). Leading
# separators after the P ("P-", "P ", "P#", "P:") are what people type.
_CANDIDATE = re.compile(r"(?<!\w)[Pp][ \t#:.\-]{0,2}([0-9](?:[ \t\-]?[0-9]){14})(?![ \t\-]?[0-9])")


def find_reference(*texts: str) -> str | None:
    """The first valid case reference in the texts, in order (the subject, then the
    body), normalised as `P123456789012345`; None when there is none. A number whose check
    digit fails is not a reference, nor is any number without its `P`."""
    for text in texts:
        for match in _CANDIDATE.finditer(text):
            reference = "P" + normalise_reference(match.group(1))
            if is_valid_reference(reference):
                return reference
    return None
