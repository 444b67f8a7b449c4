"""Demo applications drawn from each program's own worked examples.

A program's `scenarios.yaml` holds worked examples: complete sets of facts with the
outcome the rules give them. The demo replays them as applications, moved in time so
that the example's legal date (the ruleset's `as_of` fact) falls on the day the demo
application is submitted: every date of the example moves by the same number of days,
and every year by the same number of years, so ages, stays and absences keep their
meaning, give or take a day across a leap day (the demo judges each file again with the
rules, so its outcome is always the rules' own). A new program therefore appears in
the demo with no code: its examples are its demo answers.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from passage.programs import ProgramBundle
from passage.rules.scenarios import Scenario

# Facts the application's own fields carry (see triage/facts.py), not the answers.
IDENTITY_FACTS = ("date_of_birth", "citizenship", "application_date")
# Routine examples are drawn more often than the ones an officer must look at.
ROUTINE_WEIGHT = 4
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Sample:
    """One demo application's content: answers by fact, and the identity facts if any."""

    category: str
    answers: dict[str, Any]
    date_of_birth: date | None
    citizenship: str | None


def draw_sample(
    bundle: ProgramBundle, key: str, *, day: date, category: str | None = None
) -> Sample:
    """A worked example of `bundle` (of `category` if given), moved to be judged on `day`.

    The example is chosen by `key` (the demo file's own), by weighted rendezvous hashing:
    adding or removing one example changes only the files that it wins or loses, so a
    demo already loaded replays the rest unchanged."""
    candidates = [
        scenario
        for scenario in bundle.scenarios
        if "error" not in scenario.expect
        and (category is None or scenario.category == category)
        and _anchor(bundle, scenario) is not None
    ]
    if not candidates:
        raise ValueError(f"{bundle.code} has no worked example to draw a demo file from")
    scenario = min(candidates, key=lambda candidate: _rank(key, candidate))
    anchor = _anchor(bundle, scenario)
    assert anchor is not None
    days, years = (day - anchor).days, day.year - anchor.year
    types = bundle.ruleset.facts
    facts = {
        name: _moved(value, days, years if types.get(name) == "years" else 0)
        for name, value in scenario.facts.items()
    }
    birth = facts.get("date_of_birth")
    citizenship = facts.get("citizenship")
    # An example may leave the category out (the rules then all apply); an application
    # to a program with categories names one.
    codes = bundle.definition.category_codes
    chosen = scenario.category or category or (codes[_hash(key) % len(codes)] if codes else "")
    return Sample(
        category=chosen,
        answers={name: value for name, value in facts.items() if name not in IDENTITY_FACTS},
        date_of_birth=date.fromisoformat(birth) if isinstance(birth, str) else None,
        citizenship=citizenship if isinstance(citizenship, str) else None,
    )


def _rank(key: str, scenario: Scenario) -> float:
    """The example's draw for `key`: the lowest wins; routine examples weigh more."""
    weight = ROUTINE_WEIGHT if scenario.expect.get("outcome") == "eligible_auto" else 1
    unit = (_hash(f"{key}:{scenario.name}") + 1) / (2**64 + 1)
    return -math.log(unit) / weight


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _anchor(bundle: ProgramBundle, scenario: Scenario) -> date | None:
    """The legal date of the example: its `as_of`, or the ruleset's `as_of` fact."""
    if scenario.as_of is not None:
        return scenario.as_of
    value = scenario.facts.get(bundle.ruleset.as_of)
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value)
    return None


def _moved(value: Any, days: int, years: int) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    if isinstance(value, list):
        return [_moved(item, days, years) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item, days, 0) for key, item in value.items()}
    if years and isinstance(value, int) and not isinstance(value, bool):
        return value + years
    return value
