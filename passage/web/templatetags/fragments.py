"""Parts of the layout that depend on nothing but the language (the design system's
fallback footer, skip link and signature), rendered once per language and process
instead of on every page: together they hold about twenty `{% translate %}` tags, a
sizeable share of a page's rendering."""

from functools import cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from passage.languages import other_language_than

register = template.Library()


@register.simple_tag
def per_language(template_name: str) -> SafeString:
    """`template_name` rendered in the active language, with `other_language` as its only
    context. It must depend on nothing else. Rendered afresh each time with DEBUG on, so
    that template edits show."""
    language = translation.get_language()
    if settings.DEBUG:
        return _render(template_name, language)
    return _rendered(template_name, language)


@cache
def _rendered(template_name: str, language: str | None) -> SafeString:
    return _render(template_name, language)


def _render(template_name: str, language: str | None) -> SafeString:
    with translation.override(language):
        context = {"other_language": other_language_than(language)}
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (a template's output)
