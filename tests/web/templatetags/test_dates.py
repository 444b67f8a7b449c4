from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils import timezone, translation

from passage.accounts import time_zones
from passage.web.templatetags.dates import date_time, long_date, time_element, zone_name


def rendered(source: str, **context: object) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


def test_a_long_date_reads_as_django_would_write_it_in_english_and_french() -> None:
    day = date(2026, 8, 14)
    for language in ("en", "fr"):
        with translation.override(language):
            expected = rendered('{{ day|date:"j F Y" }}', day=day)
            assert long_date(day) == expected
    with translation.override("fr"):
        assert long_date(day) == "14 août 2026"


def test_the_first_of_the_month_is_an_ordinal_in_french_only() -> None:
    first = date(2027, 1, 1)
    with translation.override("en"):
        assert long_date(first) == "1 January 2027"
    with translation.override("fr"):
        assert long_date(first) == "1er janvier 2027"
        assert rendered("{% time_element day %}", day=first) == (
            '<time datetime="2027-01-01">1er janvier 2027</time>'
        )
        with timezone.override("America/Toronto"):
            assert date_time(datetime(2027, 1, 1, 17, 5, tzinfo=UTC)) == (
                "1er janvier 2027, 12 h 05 (heure de l\u2019Est)"
            )


def test_an_instant_is_shown_on_its_day_in_the_active_time_zone() -> None:
    # 02:30 UTC on 1 March is still 28 February in Toronto.
    instant = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    with timezone.override("America/Toronto"):
        assert long_date(instant) == "28 February 2026"
        assert time_element(instant) == (
            '<time datetime="2026-02-28T21:30:00-05:00">28 February 2026</time>'
        )
        assert time_element(instant) == rendered(
            "<time datetime=\"{{ at|date:'c' }}\">{{ at|date:'j F Y' }}</time>", at=instant
        )


def test_no_date_is_shown_as_nothing() -> None:
    assert rendered("[{{ day|long_date }}]", day=None) == "[]"


def test_the_tag_writes_a_time_element_that_is_not_escaped_again() -> None:
    with translation.override("fr"):
        assert rendered("{% time_element day %}", day=date(2026, 12, 25)) == (
            '<time datetime="2026-12-25">25 décembre 2026</time>'
        )


def test_a_time_reads_with_its_zone_in_words_in_english_and_in_french() -> None:
    instant = datetime(2026, 11, 22, 1, 31, tzinfo=UTC)  # 20:31 on the 21st in Toronto
    with timezone.override("America/Toronto"):
        with translation.override("en"):
            assert date_time(instant) == "21 November 2026, 8:31 p.m. (Eastern time)"
        with translation.override("fr"):
            assert date_time(instant) == "21 novembre 2026, 20 h 31 (heure de l\u2019Est)"
    with timezone.override("America/Vancouver"), translation.override("fr"):
        assert date_time(instant) == "21 novembre 2026, 17 h 31 (heure du Pacifique)"


def test_a_zone_without_a_name_in_words_keeps_its_database_name() -> None:
    assert zone_name("Africa/Nairobi") == "Africa/Nairobi"
    with translation.override("fr"):
        assert zone_name("America/Edmonton") == "heure des Rocheuses"


def test_every_zone_a_person_can_choose_has_a_name_in_words_in_both_languages() -> None:
    for zone, _label in time_zones.CHOICES:
        with translation.override("en"):
            english = zone_name(zone)
        with translation.override("fr"):
            french = zone_name(zone)
        assert "/" not in english, zone
        assert "/" not in french, zone
        assert english != french, zone
    with translation.override("en"):
        assert zone_name("America/Vancouver") == "Pacific time"
        assert zone_name("Europe/Paris") == "Central European time"
    with translation.override("fr"):
        assert zone_name("America/Vancouver") == "heure du Pacifique"
        assert zone_name("Europe/Paris") == "heure d\u2019Europe centrale"
