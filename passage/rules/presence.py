"""Counting days of physical presence in Canada, the way the law counts them.

Conventions (IRPA s. 28 for the residency obligation of a permanent resident,
Citizenship Act s. 5(1)(c) and (i) for a grant of citizenship):

- Every window is a closed range of days: `start` and `end` are both counted.
  Callers build the five-year windows with `dates.years_before` (same calendar
  day five years earlier, 29 February giving 28 February) up to the day before
  the examination or signing date.
- An absence `{from, to}` removes only the days strictly between `from` and
  `to`: the day of departure and the day of return are days in Canada, so a
  same-day or overnight trip removes nothing.
- An absence with `credited: true` (accompanying a Canadian-citizen spouse or
  parent, full-time work abroad for a Canadian business or public service,
  IRPA s. 28(2)(a)(ii) to (v)) removes nothing.
- Only the part of an absence inside the window counts, and a day that two
  overlapping absences both cover is removed once.
- A pre-PR period `{from, to}` (time in Canada as a temporary resident or a
  protected person) covers both its ends.

The functions take periods as mappings with `from`, `to` (dates) and an
optional `credited` (bool), the shape a fact takes once checked, and return
whole numbers of days. They never see a null: the expression evaluators return
null before calling them when an argument is null.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Period = Mapping[str, Any]
"""A checked period: `{"from": date, "to": date}` with an optional `"credited": bool`."""

_Interval = tuple[int, int]  # closed range of proleptic ordinals


def _merge(intervals: Iterable[_Interval]) -> list[_Interval]:
    """Sorted, disjoint, non-adjacent closed intervals covering the same days."""
    merged: list[_Interval] = []
    for low, high in sorted(i for i in intervals if i[0] <= i[1]):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _clip(intervals: Iterable[_Interval], low: int, high: int) -> list[_Interval]:
    return _merge((max(a, low), min(b, high)) for a, b in intervals)


def _length(intervals: Sequence[_Interval]) -> int:
    return sum(high - low + 1 for low, high in intervals)


def _overlap(first: Sequence[_Interval], second: Sequence[_Interval]) -> int:
    """Days that two merged interval lists have in common."""
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        low = max(first[i][0], second[j][0])
        high = min(first[i][1], second[j][1])
        if low <= high:
            total += high - low + 1
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return total


def _days_absent(absences: Sequence[Period]) -> list[_Interval]:
    """The days each non-credited absence removes: strictly between departure and return."""
    return [
        (absence["from"].toordinal() + 1, absence["to"].toordinal() - 1)
        for absence in absences
        if not absence.get("credited")
    ]


def days_present(absences: Sequence[Period], start: datetime.date, end: datetime.date) -> int:
    """Days from `start` to `end` (both included) spent in Canada.

    The days of the window minus the days strictly between the departure and
    the return of each non-credited absence, clipped to the window, each day
    removed at most once. An empty window (`end` before `start`) has 0 days.
    """
    low, high = start.toordinal(), end.toordinal()
    if high < low:
        return 0
    return (high - low + 1) - _length(_clip(_days_absent(absences), low, high))


def days_present_before(
    periods: Sequence[Period],
    absences: Sequence[Period],
    start: datetime.date,
    end: datetime.date,
    before: datetime.date,
) -> int:
    """Days from `start` to `end` (both included), before `before`, inside one of `periods`
    and spent in Canada.

    This is the count of pre-PR days for citizenship: `periods` are the times
    as a temporary resident or protected person, `before` is the day the person
    became a permanent resident (that day is a PR day, not a pre-PR day), and
    the days strictly inside an absence are removed as in `days_present`.
    Overlapping periods count each day once. The half-day weight and the cap
    on the credit are parameters of the ruleset, applied by the expression.
    """
    low, high = start.toordinal(), min(end.toordinal(), before.toordinal() - 1)
    if high < low:
        return 0
    inside = _clip(((p["from"].toordinal(), p["to"].toordinal()) for p in periods), low, high)
    removed = _clip(_days_absent(absences), low, high)
    return _length(inside) - _overlap(inside, removed)


def tax_years_in_window(years: Sequence[int], start: datetime.date, end: datetime.date) -> int:
    """How many distinct calendar (taxation) years among `years` overlap `start` to `end`.

    A taxation year counts when it falls fully or partly within the window,
    even by a single day (Citizenship Act s. 5(1)(c)(iii)); a year listed twice
    counts once.
    """
    return len({year for year in years if start.year <= year <= end.year})
