"""The rulesets in force in this process (see `passage.intake.catalogue`)."""

from pathlib import Path

from passage.intake.catalogue import current_programs
from passage.rules.loader import RuleSet


def current_rulesets(directory: Path | None = None) -> dict[str, RuleSet]:
    """Each program's ruleset, by program code."""
    return {code: bundle.ruleset for code, bundle in current_programs(directory).items()}
