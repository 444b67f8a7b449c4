"""What a rule change would change: the same applications evaluated under two rulesets,
and every line whose outcome, tier or criterion results differ."""

from dataclasses import dataclass, field
from typing import Any

from passage.rules.loader import RuleSet
from passage.rules.results import evaluate_batch


@dataclass(frozen=True)
class Flip:
    """One application whose assessment differs between the two rulesets."""

    id: Any
    before: str
    after: str
    criteria: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class RuleChangeReport:
    before_version: str
    after_version: str
    evaluated: int = 0
    invalid: int = 0
    flips: list[Flip] = field(default_factory=list)


def diff_rulesets(before: RuleSet, after: RuleSet, lines: list[Any]) -> RuleChangeReport:
    """Evaluate `lines` under both rulesets and list each line whose outcome, tier or any
    criterion's result changes (criteria only in one ruleset count as changes)."""
    report = RuleChangeReport(before.version, after.version)
    old_results = evaluate_batch(before, lines)
    new_results = evaluate_batch(after, lines)
    for old, new in zip(old_results, new_results, strict=True):
        if "error" in old or "error" in new:
            report.invalid += 1
            continue
        report.evaluated += 1
        old_criteria = {c["id"]: c["result"] for c in old["criteria"]}
        new_criteria = {c["id"]: c["result"] for c in new["criteria"]}
        changed = {
            criterion: (
                old_criteria.get(criterion, "absent"),
                new_criteria.get(criterion, "absent"),
            )
            for criterion in sorted(old_criteria.keys() | new_criteria.keys())
            if old_criteria.get(criterion) != new_criteria.get(criterion)
        }
        old_summary = f"{old['outcome']} (tier {old['tier']})"
        new_summary = f"{new['outcome']} (tier {new['tier']})"
        if changed or old_summary != new_summary:
            report.flips.append(Flip(old.get("id"), old_summary, new_summary, changed))
    return report
