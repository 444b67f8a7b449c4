"""The IEC ruleset the rules benchmark measures, and the names every implementation
reports its results under: taken from the ruleset, so they cannot drift apart."""

from pathlib import Path

from passage.rules import load_ruleset

IEC = load_ruleset(Path(__file__).resolve().parents[2] / "programs" / "iec" / "rules.yaml")
CRITERIA = [criterion.id for criterion in IEC.criteria]
CATEGORIES = list(IEC.categories)
