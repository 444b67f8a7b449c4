"""What a program's files must agree on, checked when they are read together.

Each file is valid on its own (its reader checks that); these are the facts that stand in
more than one file, where nothing else would keep them in step:

- the program code, in every file;
- the categories: the definition's, the ruleset's, the category question's options and
  the scenarios' categories;
- the facts: each question's fact must be one the ruleset reads;
- the risk areas: each names a criterion or pull-out rule of the ruleset;
- amounts of money quoted to applicants (document hints, questions) must be values of a
  parameter of the ruleset in dollars: a hint that still says $2,500 after the rule moved
  to $3,000 misleads every applicant who reads it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from passage.programs.definition import ChecklistItem, ProgramDefinition
from passage.programs.questions import Flow
from passage.rules.loader import RuleSet
from passage.rules.scenarios import Scenario

# "CAN$2,500", "$2,500.50", "2 500 $ CA", "2 500,50 $": a number next to a dollar sign,
# with thousands grouped by commas or spaces and cents after a point or a comma.
_NUMBER = r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(rf"(?:CAN\$|CA\$|\$)\s?({_NUMBER})|({_NUMBER})\s?\$")
_DOLLAR_UNITS = {"cad", "dollar", "dollars", "$"}


@dataclass(frozen=True)
class _Files:
    """A program's files as read, before they are one bundle."""

    definition: ProgramDefinition
    ruleset: RuleSet
    flow: Flow | None
    scenarios: tuple[Scenario, ...]

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def documents(self) -> tuple[ChecklistItem, ...]:
        return self.definition.documents


def cross_check(
    definition: ProgramDefinition,
    ruleset: RuleSet,
    flow: Flow | None,
    scenarios: tuple[Scenario, ...],
) -> list[str]:
    """Every disagreement between a program's files, each naming its file."""
    bundle = _Files(definition, ruleset, flow, scenarios)
    return [
        *_codes(bundle),
        *_categories(bundle),
        *_facts(bundle),
        *_risk_areas(bundle),
        *_amounts(bundle),
    ]


def _codes(bundle: _Files) -> Iterator[str]:
    if bundle.ruleset.program != bundle.code:
        yield f"rules.yaml: program is {bundle.ruleset.program!r}, not {bundle.code!r}"
    if bundle.flow is not None and bundle.flow.program != bundle.code:
        yield f"questions.yaml: program is {bundle.flow.program!r}, not {bundle.code!r}"


def _categories(bundle: _Files) -> Iterator[str]:
    defined = set(bundle.definition.category_codes)
    ruled = set(bundle.ruleset.categories)
    if defined != ruled:
        yield (
            f"program.yaml and rules.yaml list different categories: "
            f"{_listed(defined)} and {_listed(ruled)}"
        )
    if bundle.flow is not None:
        for question in bundle.flow.questions:
            if question.field != "category":
                continue
            offered = {option.value for option in question.options}
            if offered != defined:
                yield (
                    f"questions.yaml: question {question.id!r} offers {_listed(offered)}, "
                    f"but the program's categories are {_listed(defined)}"
                )
    for scenario in bundle.scenarios:
        # An example of a refused line may name a category on purpose: it shows the refusal.
        if "error" in scenario.expect:
            continue
        if scenario.category is not None and scenario.category not in defined:
            yield (
                f"scenarios.yaml: {scenario.name!r} has category {scenario.category!r}, "
                f"which is not one of {_listed(defined)}"
            )


def _facts(bundle: _Files) -> Iterator[str]:
    if bundle.flow is None:
        return
    declared = set(bundle.ruleset.facts)
    for question in bundle.flow.questions:
        if question.fact and question.fact not in declared:
            yield (
                f"questions.yaml: question {question.id!r} gives the fact {question.fact!r}, "
                "which rules.yaml does not declare"
            )
    for fact in bundle.flow.submission_date_facts:
        if fact not in declared:
            yield f"questions.yaml: submission_date_facts names {fact!r}, not a fact of rules.yaml"


def _risk_areas(bundle: _Files) -> Iterator[str]:
    rules = {criterion.id for criterion in bundle.ruleset.criteria}
    rules |= {pull_out.id for pull_out in bundle.ruleset.tiering.pull_out}
    for rule in bundle.definition.risk_areas:
        if rule not in rules:
            yield f"program.yaml: risk_areas names {rule!r}, not a rule of rules.yaml"


def _amounts(bundle: _Files) -> Iterator[str]:
    allowed = dollar_values(bundle.ruleset)
    texts: list[tuple[str, str]] = []
    for item in bundle.documents:
        where = f"program.yaml: the hint of document {item.kind!r}"
        texts += [(f"{where} (en)", item.hint_en), (f"{where} (fr)", item.hint_fr)]
    if bundle.flow is not None:
        for question in bundle.flow.questions:
            for wording in (question.label, question.hint):
                if wording is not None:
                    where = f"questions.yaml: question {question.id!r}"
                    texts += [(f"{where} (en)", wording.en), (f"{where} (fr)", wording.fr)]
    for where, text in texts:
        for amount in quoted_amounts(text):
            if amount not in allowed:
                shown = ", ".join(f"{value:g}" for value in sorted(allowed)) or "none"
                yield (
                    f"{where} quotes {amount:g} dollars, which is not a value of any parameter "
                    f"in dollars of rules.yaml (values: {shown})"
                )


def quoted_amounts(text: str) -> list[float]:
    """The amounts of money written in `text`, in either language's way of writing them."""
    amounts = []
    for match in _AMOUNT.finditer(text):
        written = match.group(1) or match.group(2)
        whole, cents = re.fullmatch(r"(.*?)(?:[.,](\d{1,2}))?", written).groups()  # type: ignore[union-attr]
        amounts.append(float(re.sub(r"\D", "", whole)) + (float(f"0.{cents}") if cents else 0))
    return amounts


def dollar_values(ruleset: RuleSet) -> set[float]:
    """Every value, at any date, of the ruleset's parameters whose unit is dollars."""
    values: set[float] = set()
    for parameter in ruleset.parameters.values():
        if parameter.unit.strip().lower() not in _DOLLAR_UNITS:
            continue
        timelines = [parameter.values.timeline, *(parameter.values.by_key or {}).values()]
        candidates = [value for timeline in timelines if timeline for _, value in timeline.changes]
        candidates.append(parameter.values.default)
        values |= {
            float(value)
            for value in candidates
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
    return values


def _listed(codes: set[str]) -> str:
    return "[" + ", ".join(sorted(codes)) + "]" if codes else "none"
