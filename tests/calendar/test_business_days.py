"""Business days of Canada and its provinces, and the last second of a deadline."""

from datetime import date

import pytest

from passage.calendar import BusinessCalendar, end_of_day


def test_weekends_and_federal_holidays_are_not_business_days():
    canada = BusinessCalendar()

    assert not canada.is_business_day(date(2027, 7, 1))  # Canada Day, a Thursday
    assert not canada.is_business_day(date(2027, 7, 3))  # a Saturday
    assert canada.is_business_day(date(2027, 7, 2))
    assert canada.holiday_name(date(2027, 7, 1)) is not None


def test_a_provinces_own_holidays_count_there_only():
    # Saint-Jean-Baptiste (24 June) is Quebec's; Ontario works.
    assert not BusinessCalendar("QC").is_business_day(date(2027, 6, 24))
    assert BusinessCalendar("ON").is_business_day(date(2027, 6, 24))


def test_the_next_business_day_skips_a_long_weekend():
    # Friday 2 July 2027 is a business day; Canada Day was the Thursday.
    canada = BusinessCalendar()

    assert canada.next_business_day(date(2027, 7, 1)) == date(2027, 7, 2)
    assert canada.add_business_days(date(2027, 7, 2), 1) == date(2027, 7, 5)
    assert canada.business_days_between(date(2027, 7, 1), date(2027, 7, 6)) == 2


def test_an_unknown_province_is_refused():
    with pytest.raises(ValueError, match="not a province"):
        BusinessCalendar("XX")


def test_a_deadline_ends_at_the_last_second_of_its_day_where_it_is_kept():
    due = end_of_day(date(2027, 3, 3), "America/Vancouver")

    assert due.isoformat() == "2027-03-03T23:59:59-08:00"
