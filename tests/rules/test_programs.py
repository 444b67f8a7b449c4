from pathlib import Path

from passage.programs import read_programs
from passage.rules.programs import triage_lines

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"


def rulesets_of(directory):
    return {code: bundle.ruleset for code, bundle in read_programs(directory).items()}


def test_every_rules_file_in_the_programs_folder_loads():
    rulesets = rulesets_of(PROGRAMS)

    assert "iec" in rulesets
    assert {path.parent.name for path in PROGRAMS.glob("*/rules.yaml")} == set(rulesets)


def test_a_mixed_batch_comes_back_in_input_order():
    rulesets = rulesets_of(PROGRAMS)
    lines = [
        {"id": "1", "program": "iec", "category": "working-holiday", "facts": {}},
        "not an object",
        {"id": "3", "program": "unknown", "facts": {}},
        {"id": "4", "program": "iec", "category": "working-holiday", "facts": {}},
    ]

    results = triage_lines(rulesets, lines)

    assert [r["id"] for r in results] == ["1", None, "3", "4"]
    assert results[0]["outcome"] == "needs_officer"
    assert "not a JSON object" in results[1]["error"]
