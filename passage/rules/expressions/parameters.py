"""Parameters with effective dates, as both evaluators look their values up."""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from passage.rules.expressions.nodes import Value


@dataclass(frozen=True)
class Timeline:
    """Values of one parameter (or one key of it) by the date they took effect, oldest first."""

    changes: tuple[tuple[datetime.date, Value], ...]

    def at(self, on: datetime.date) -> tuple[Value, datetime.date | None]:
        value: Value = None
        effective: datetime.date | None = None
        for start, candidate in self.changes:
            if start <= on:
                value, effective = candidate, start
        return value, effective


_REMEMBERED_LOOKUPS = 4096
"""How many look-ups a parameter remembers before it starts afresh (keys come from input)."""


@dataclass(frozen=True)
class ParameterValues:
    """A parameter's timeline, or one timeline per key (country, province) with a default."""

    name: str
    timeline: Timeline | None = None
    by_key: Mapping[str, Timeline] | None = None
    default: Value = None
    # Every date on which one of its values changes: between two of them (a period) each
    # key has one value, so a look-up is remembered by period and key.
    _starts: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)
    _found: dict[tuple[int, Value], tuple[Value, datetime.date | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(self.change_dates()))

    @property
    def keyed(self) -> bool:
        return self.by_key is not None

    def at(self, on: datetime.date | None, key: Value = None) -> tuple[Value, datetime.date | None]:
        """The value in effect on `on` (for `key`) and the date it took effect."""
        if on is None:
            return None, None
        period = bisect.bisect_right(self._starts, on)
        found = self._found.get((period, key))
        if found is None:
            found = self._look_up(on, key)
            if len(self._found) >= _REMEMBERED_LOOKUPS:
                self._found.clear()
            self._found[(period, key)] = found
        return found

    def _look_up(self, on: datetime.date, key: Value) -> tuple[Value, datetime.date | None]:
        if self.by_key is None:
            assert self.timeline is not None
            return self.timeline.at(on)
        if key is None:
            return None, None
        timeline = self.by_key.get(key)
        value, effective = timeline.at(on) if timeline is not None else (None, None)
        if value is None:
            return self.default, None
        return value, effective

    def change_dates(self) -> list[datetime.date]:
        timelines = [self.timeline] if self.by_key is None else list(self.by_key.values())
        return sorted({start for t in timelines if t is not None for start, _ in t.changes})
