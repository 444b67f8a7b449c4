"""What an officer types in the workbench's search box, read as what it looks for: a
reference (whole, or its last digits), a date of birth, or words of the applicant's name;
and the folding that makes a name match without regard to case or accents on every
database Passage runs on (`selectors.search_files` reads the files)."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import CharField, Func, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Lower

from passage.cases.reference import PREFIX, RANDOM_DIGITS, is_valid_reference, normalise_reference

# The fewest last digits of a reference that a search takes: fewer would match too many files.
MIN_LAST_DIGITS = 4

# Accented letters and their plain forms: the Latin letters of French, Spanish,
# Portuguese and German names. Both the database and Python fold with this one table, so
# a name folds the same way on either side.
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy"
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}
_FOLD_TABLE = str.maketrans({**dict(zip(_ACCENTED, _PLAIN, strict=True)), **_LIGATURES})

# Day, month and year as people type them: 2004-09-22, 22/09/2004, 22 9 2004 (and with
# dots or dashes between day, month and year).
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})\s*[/.\s-]\s*(\d{1,2})\s*[/.\s-]\s*(\d{4})$")


@dataclass(frozen=True)
class SearchQuery:
    """What a search looks for. Each part is empty when the text is not of its shape; a
    text is a date, else a reference (or its last digits), else words of a name."""

    text: str = ""
    reference: str = ""
    last_digits: str = ""
    date_of_birth: date | None = None
    words: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.text

    @property
    def too_short(self) -> bool:
        """A text that is none of the shapes a search takes (such as 2 digits)."""
        return bool(self.text) and not (
            self.reference or self.last_digits or self.date_of_birth or self.words
        )


def fold_text(text: str) -> str:
    """A text without case or accents, as `Folded` makes it in the database."""
    return text.translate(_FOLD_TABLE).lower()


def parse_search(text: str) -> SearchQuery:
    """Read what the person typed (see `SearchQuery`)."""
    text = " ".join(text.split())[:100]
    if not text:
        return SearchQuery()
    born = _date_in(text)
    if born is not None:
        return SearchQuery(text=text, date_of_birth=born)
    compact = normalise_reference(text)
    if is_valid_reference(compact):
        return SearchQuery(text=text, reference=compact)
    digits = compact.removeprefix(PREFIX)
    if digits.isascii() and digits.isdigit():
        if MIN_LAST_DIGITS <= len(digits) <= RANDOM_DIGITS + 1:
            return SearchQuery(text=text, last_digits=digits)
        return SearchQuery(text=text)
    words = [fold_text(word) for word in re.split(r"[\s,]+", text) if word]
    return SearchQuery(text=text, words=words)


def _date_in(text: str) -> date | None:
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        day_first = _DAY_FIRST_DATE.match(text)
        if not day_first:
            return None
        day, month, year = (int(part) for part in day_first.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


class Folded(Func):
    """A text column without case or accents, as `fold_text` makes it: `translate` then
    `lower` on PostgreSQL; on SQLite (whose parser cannot take the dozens of nested
    `replace` calls the table would need) `fold_text` itself, as an SQL function."""

    function = "passage_fold"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # Registered on the connection that runs the query, however it was opened.
        connection.ensure_connection()
        connection.connection.create_function(self.function, 1, _fold_or_none, deterministic=True)
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        folded: Expression = Func(
            self.source_expressions[0], _text(_ACCENTED), _text(_PLAIN), function="translate"
        )
        for ligature, plain in _LIGATURES.items():
            folded = Func(folded, _text(ligature), _text(plain), function="replace")
        return compiler.compile(Lower(folded))


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold_text(text)


def _text(value: str) -> Expression:
    return Value(value, output_field=CharField())
