"""Calendar arithmetic the law relies on, defined once and explicitly.

Ages are completed years: a person born on 29 February completes a year on
1 March in common years. Moving a date a whole number of years keeps the day,
except that 29 February becomes 28 February in a common year.
"""

from __future__ import annotations

import calendar
import datetime


def age(birth_date: datetime.date, on_date: datetime.date) -> int:
    """Completed years of a person born on `birth_date`, on `on_date`."""
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - before_birthday


def years_before(date: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 February gives 28 February in a common year."""
    return years_after(date, -years)


def years_after(date: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February gives 28 February in a common year."""
    year = date.year + years
    day = date.day
    if date.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return datetime.date(year, date.month, day)


def days_between(start: datetime.date, end: datetime.date) -> int:
    """Days from `start` to `end` (negative when `end` comes first)."""
    return (end - start).days
