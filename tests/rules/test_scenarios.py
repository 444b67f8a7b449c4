from pathlib import Path

import pytest

from passage.rules import run_scenarios
from tests.rules.builders import PROGRAMS

SCENARIO_FILES = sorted(PROGRAMS.glob("*/scenarios.yaml"))


@pytest.mark.parametrize("scenarios", SCENARIO_FILES, ids=lambda path: path.parent.name)
def test_every_scenario_gives_the_expected_result(scenarios: Path) -> None:
    if not (scenarios.parent / "rules.yaml").exists():
        pytest.skip(f"program {scenarios.parent.name!r} has no rules.yaml yet")
    failures = run_scenarios(scenarios.parent)
    assert not failures, "\n".join(str(failure) for failure in failures)


def test_a_wrong_expectation_is_reported_with_its_line(tmp_path: Path) -> None:
    program = tmp_path / "iec"
    program.mkdir()
    (program / "rules.yaml").write_text(
        (PROGRAMS / "iec" / "rules.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (program / "scenarios.yaml").write_text(
        "program: iec\nscenarios:\n"
        "  - name: Too young\n"
        "    category: working-holiday\n"
        "    facts: {citizenship: FR, date_of_birth: 2010-01-01, invitation_date: 2026-01-12}\n"
        "    expect: {outcome: eligible_auto, criteria: {age-in-range: pass}}\n",
        encoding="utf-8",
    )
    failures = [str(f) for f in run_scenarios(program)]
    assert failures == [
        f"{program / 'scenarios.yaml'}:3: Too young: outcome: expected 'eligible_auto', "
        "got 'needs_officer'",
        f"{program / 'scenarios.yaml'}:3: Too young: age-in-range: expected pass, "
        "got fail (16 on 2026-01-12; range 18-35 for FR)",
    ]
