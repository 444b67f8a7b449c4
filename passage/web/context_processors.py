from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation


def language_toggle(request: HttpRequest) -> dict[str, str]:
    """The same page in the other language, for the header's language toggle."""
    other = other_language_than(translation.get_language())
    return {"other_language": other, "other_language_url": _in_language(request, other)}


def other_language_than(language: str | None) -> str:
    """French for English pages, English for French ones."""
    return "fr" if (language or "en") == "en" else "en"


def _in_language(request: HttpRequest, language: str) -> str:
    match = request.resolver_match
    if match is None:  # an error page rendered before any view was found
        return translate_url(request.get_full_path(), language)
    # What translate_url does, without resolving the path a second time.
    with translation.override(language):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path
