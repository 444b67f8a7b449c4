"""Reading a line's facts: one checker per fact type of the interchange format, giving
the checked value of a fact (never None) or raising InvalidLine for a value of the wrong
type."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from passage.rules.expressions import Value


class InvalidLine(ValueError):
    """An input line that does not follow the interchange format."""


_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _date(raw: Any) -> datetime.date | None:
    # The same dates as matching `^\d{4}-\d{2}-\d{2}$` then `fromisoformat`, without the regex: a
    # ten-character string with dashes at 4 and 7 that `fromisoformat` accepts is
    # YYYY-MM-DD with ASCII digits (its other ten-character form, YYYY-Www-D, has no
    # dash at 7).
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    return None


def _periods(name: str, raw: Any, credited: bool) -> list[dict[str, Any]]:
    keys = ("from", "to", "credited") if credited else ("from", "to")
    shape = "{" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    if not isinstance(raw, list):
        raise InvalidLine(f"fact {name!r} must be a list of {shape}, not {raw!r}")
    periods: list[dict[str, Any]] = []
    for position, item in enumerate(raw):
        where = f"{name}[{position}]"
        if not isinstance(item, dict):
            raise InvalidLine(f"{where} must be an object {shape}, not {item!r}")
        unknown = sorted(str(key) for key in item if key not in keys)
        if unknown:
            keys_word = "key" if len(unknown) == 1 else "keys"
            raise InvalidLine(
                f"{where} has unknown {keys_word} {', '.join(unknown)} (allowed: {shape})"
            )
        period: dict[str, Any] = {}
        for key in ("from", "to"):
            value = _date(item.get(key))
            if value is None:
                raise InvalidLine(f"{where}.{key} is not a date YYYY-MM-DD: {item.get(key)!r}")
            period[key] = value
        if period["to"] < period["from"]:
            raise InvalidLine(f"{where}.to is before {where}.from")
        if credited:
            flag = item.get("credited")
            if not isinstance(flag, bool):
                raise InvalidLine(f"{where}.credited must be true or false, not {flag!r}")
            period["credited"] = flag
        periods.append(period)
    return periods


def _years(name: str, raw: Any) -> list[int]:
    if not isinstance(raw, list):
        raise InvalidLine(f"fact {name!r} must be a list of years, not {raw!r}")
    for position, year in enumerate(raw):
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise InvalidLine(f"{name}[{position}] is not a year: {year!r}")
    return list(raw)


# One checker per fact type: the checked value of a fact given as `raw` (never None).


def _check_date(name: str, raw: Any) -> Value:
    # `_date`, written out: four of a line's facts are often dates.
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    raise InvalidLine(f"fact {name!r} must be a date YYYY-MM-DD, not {raw!r}")


def _check_bool(name: str, raw: Any) -> Value:
    if raw is True or raw is False:
        return raw
    raise InvalidLine(f"fact {name!r} must be true or false, not {raw!r}")


def _check_int(name: str, raw: Any) -> Value:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise InvalidLine(f"fact {name!r} must be a whole number, not {raw!r}")


def _check_number(name: str, raw: Any) -> Value:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and raw == raw:
        return float(raw)
    raise InvalidLine(f"fact {name!r} must be a number, not {raw!r}")


def _check_country(name: str, raw: Any) -> Value:
    if isinstance(raw, str):
        if len(raw) == 2 and raw[0] in _CAPITALS and raw[1] in _CAPITALS:
            return raw
        if _COUNTRY.match(raw):
            return raw
    raise InvalidLine(f"fact {name!r} must be an ISO 3166-1 alpha-2 code like 'FR', not {raw!r}")


def _check_string(name: str, raw: Any) -> Value:
    if isinstance(raw, str):
        return raw
    raise InvalidLine(f"fact {name!r} must be a string, not {raw!r}")


_CHECKERS: dict[str, Callable[[str, Any], Value]] = {
    "periods": lambda name, raw: _periods(name, raw, credited=False),
    "credited_periods": lambda name, raw: _periods(name, raw, credited=True),
    "years": _years,
    "date": _check_date,
    "bool": _check_bool,
    "int": _check_int,
    "number": _check_number,
    "country": _check_country,
}


def checker(kind: str) -> Callable[[str, Any], Value]:
    """The checker for facts of type `kind` (a text for any type without one of its own)."""
    return _CHECKERS.get(kind, _check_string)
