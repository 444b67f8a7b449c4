from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

from passage.languages import other_language_than


def language_toggle(request: HttpRequest) -> dict[str, str]:
    """The same page in the other language, for the header's language toggle."""
    other = other_language_than(translation.get_language())
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
    }
