"""Dates as people read them: "21 November 2026", "21 novembre 2026".

The tracker shows dozens of dates on each page. Django's `date` filter parses its format
string and looks up the locale's formats for every value; these tags do the one thing
they are for, in the active language and time zone, several times faster."""

from datetime import date, datetime
from functools import cache
from html import escape

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

register = template.Library()


@cache
def _month_names(language: str) -> tuple[str, ...]:
    """January to December in `language`, at indexes 1 to 12."""
    with override(language):
        return ("", *(str(MONTHS[month]) for month in range(1, 13)))


def _day_month_year(value: date) -> tuple[date, str]:
    """The value in the active time zone, and its day, month name and year."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(timezone.get_current_timezone())
    month = _month_names(get_language() or "en")[value.month]
    return value, f"{value.day} {month} {value.year}"


@register.filter
def long_date(value: date | None) -> str:
    """The day, the month's name and the year (Django's "j F Y"), in the active language
    and time zone; empty for no date."""
    if value is None or value == "":
        return ""
    return _day_month_year(value)[1]


@register.simple_tag
def time_element(value: date) -> SafeString:
    """`<time datetime="ISO 8601">21 November 2026</time>`, in the active time zone."""
    local, shown = _day_month_year(value)
    # The ISO form has no character to escape.
    return mark_safe(f'<time datetime="{local.isoformat()}">{escape(shown)}</time>')  # noqa: S308
