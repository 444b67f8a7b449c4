"""The two languages of Passage, and which one a request is being answered in."""

from datetime import date
from functools import cache
from urllib.parse import urlsplit

from django.urls import translate_url
from django.utils.dates import MONTHS
from django.utils.translation import get_language, override


def active_language() -> str:
    """The active language: "fr" when French is active for this request, else "en"."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def in_language(english: str, french: str, language: str) -> str:
    """Of a text kept in both languages, the one in `language` ("fr" or "en")."""
    return french if language == "fr" else english


def other_language_than(language: str | None) -> str:
    """French for English pages, English for French ones."""
    return "fr" if (language or "en") == "en" else "en"


def address_in(address: str, language: str) -> str:
    """A page's address on this site, in `language`: `/en/apply/?x=1` in French is
    `/fr/demande/?x=1`. An address in the other language is read in its own (its path
    is translated); one that is not a page of the site is returned as it is."""
    prefix = urlsplit(address).path.split("/")[1:2]
    source = prefix[0] if prefix and prefix[0] in ("en", "fr") else language
    with override(source):
        return translate_url(address, language)


def written_date(day: date, language: str) -> str:
    """A day as each language writes it in a sentence: "1 January 2027", « 1er janvier
    2027 » (French writes the first of the month as an ordinal)."""
    return f"{day_of_month(day.day, language)} {_month_names(language)[day.month]} {day.year}"


def day_of_month(day: int, language: str) -> str:
    """The day's number as each language writes it in a date: French writes the first of
    the month as an ordinal, "1er janvier 2027"."""
    return "1er" if day == 1 and language.startswith("fr") else str(day)


@cache
def _month_names(language: str) -> tuple[str, ...]:
    """January to December in `language`, at indexes 1 to 12."""
    with override(language):
        return ("", *(str(MONTHS[month]) for month in range(1, 13)))
