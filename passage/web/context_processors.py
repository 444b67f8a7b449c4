from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def language_toggle(request: HttpRequest) -> dict[str, str]:
    """The same page in the other language, for the header's language toggle."""
    current = get_language() or "en"
    other = "fr" if current == "en" else "en"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
    }
