"""The two languages of Passage, and which one a request is being answered in."""

from django.utils.translation import get_language


def active_language() -> str:
    """The active language: "fr" when French is active for this request, else "en"."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"
