"""The two languages of Passage, and which one a request is being answered in."""

from django.utils.translation import get_language


def active_language() -> str:
    """The active language: "fr" when French is active for this request, else "en"."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def in_language(english: str, french: str, language: str) -> str:
    """Of a text kept in both languages, the one in `language` ("fr" or "en")."""
    return french if language == "fr" else english


def other_language_than(language: str | None) -> str:
    """French for English pages, English for French ones."""
    return "fr" if (language or "en") == "en" else "en"
