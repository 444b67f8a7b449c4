"""The pure rules engine: rulesets as dated, cited YAML data, evaluated one line at a
time (with a trace) or column by column on Polars, with the same results.

It imports nothing from Django or the rest of Passage.
"""

from passage.rules.loader import RuleSet, RuleSetError, load_ruleset
from passage.rules.results import (
    Outcome,
    Result,
    evaluate,
    evaluate_batch,
    evaluate_frame,
    explain,
    facts_frame,
)
from passage.rules.scenarios import ScenarioFailure, run_scenarios

__all__ = [
    "Outcome",
    "Result",
    "RuleSet",
    "RuleSetError",
    "ScenarioFailure",
    "evaluate",
    "evaluate_batch",
    "evaluate_frame",
    "explain",
    "facts_frame",
    "load_ruleset",
    "run_scenarios",
]
