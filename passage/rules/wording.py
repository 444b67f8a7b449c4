"""Each criterion's detail as people read it, in each language: the detail written in
that language, with values in its words (yes or no, oui ou non) and codes by their names
(a category, a country). The interchange keeps its own English detail (`plan.py`), made
for machines and unchanged; these texts are what assessments record for pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from passage.rules import expressions
from passage.rules.expressions import Value
from passage.rules.facts import InvalidLine
from passage.rules.lines import read_line
from passage.rules.plan import plan_of
from passage.rules.ruleset import LANGUAGES, RuleSet, applies

# A number grouped by thousands in English ("1,095", from `thousands(...)`), which French
# groups with a no-break space ("1 095").
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")

_WORDS = {
    "en": {"yes": "yes", "no": "no", "missing": "not given", "none": "none"},
    "fr": {"yes": "oui", "no": "non", "missing": "non indiqué", "none": "aucun"},
}


def shown_value(value: Value, language: str, names: Mapping[str, str]) -> str:
    """A value as a person reads it in `language`: a code by its name in `names`."""
    words = _WORDS[language]
    if value is None:
        return words["missing"]
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        if language == "fr" and _GROUPED.fullmatch(value):
            return value.replace(",", "\u00a0")
        return names.get(value, value)
    if isinstance(value, list):
        return ", ".join(shown_value(item, language, names) for item in value) or words["none"]
    return str(value)


def details_for_people(
    ruleset: RuleSet,
    line: dict[str, Any],
    as_of: datetime.date | None = None,
    names: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, dict[str, str]]:
    """For each applicable criterion of a valid line, by id, its detail in each language
    (`{"en": ..., "fr": ...}`); `names` gives, by language, the name of each code a
    value may be (categories, countries). An invalid line has no details: `{}`."""
    plan = plan_of(ruleset)
    try:
        read = read_line(ruleset, line, plan)
    except InvalidLine:
        return {}
    date = read.facts.get(ruleset.as_of)
    evaluation = expressions.Evaluation.of(
        read.facts, plan.parameters, date if isinstance(date, datetime.date) else as_of
    )
    names = names or {}
    details: dict[str, dict[str, str]] = {}
    for criterion in ruleset.criteria:
        if not applies(criterion.applies_to, read.category):
            continue
        details[criterion.id] = {
            language: "".join(
                part
                if isinstance(part, str)
                else shown_value(
                    expressions.scalar_form(part)(evaluation), language, names.get(language, {})
                )
                for part in criterion.detail_in(language).parts
            )
            for language in LANGUAGES
        }
    return details
