"""Business days: weekdays that are not a statutory holiday of Canada or, where a province
or territory is named, of it too (the `holidays` package's calendars); and the instant a
day ends in a time zone, the last second of a deadline."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

# The last second of a day: a deadline "by 3 March" holds until 23:59:59 that day.
END_OF_DAY = time(23, 59, 59)
PROVINCES = frozenset(holidays.Canada.subdivisions)


@dataclass(frozen=True)
class BusinessCalendar:
    """The business days of Canada, or of one province or territory (`province`, such as
    "ON" or "QC"; None: the federal statutory holidays only)."""

    province: str | None = None
    _holidays: holidays.HolidayBase = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.province is not None and self.province not in PROVINCES:
            raise ValueError(f"not a province or territory of Canada: {self.province!r}")
        object.__setattr__(self, "_holidays", _calendar(self.province))

    def is_business_day(self, day: date) -> bool:
        """Whether `day` is a weekday and no statutory holiday."""
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name, or None on a day that is not one."""
        return self._holidays.get(day)

    def next_business_day(self, day: date) -> date:
        """`day` if it is a business day, else the first one after it."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """The business day `count` business days after `day` (0: `day`'s own, or the next
        one if `day` is not a business day)."""
        day = self.next_business_day(day)
        for _ in range(count):
            day = self.next_business_day(day + timedelta(days=1))
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days lie strictly after `start` and strictly before `end`."""
        count, day = 0, start + timedelta(days=1)
        while day < end:
            count += self.is_business_day(day)
            day += timedelta(days=1)
        return count


def end_of_day(day: date, zone: str) -> datetime:
    """The last second of `day` in the time zone `zone` (an IANA name), as an aware
    datetime: what a deadline on that day means there."""
    return datetime.combine(day, END_OF_DAY, tzinfo=ZoneInfo(zone))


@cache
def _calendar(province: str | None) -> holidays.HolidayBase:
    # Years are filled in as they are asked for (the package's `expand`).
    return holidays.Canada(subdiv=province, expand=True)  # type: ignore[no-untyped-call]
