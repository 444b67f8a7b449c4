import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.triage.test_triage_command import ELIGIBLE

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"


@pytest.fixture
def programs(tmp_path, settings):
    """A copy of the IEC program to change freely."""
    shutil.copytree(PROGRAMS / "iec", tmp_path / "iec")
    settings.PASSAGE_PROGRAMS_DIR = tmp_path
    return tmp_path


def test_rules_test_runs_every_scenario_and_says_so(programs, capsys):
    call_command("rules", "test")

    out = capsys.readouterr().out
    assert "iec: " in out
    assert "Every scenario passes." in out


def test_rules_test_fails_and_names_the_scenario_when_a_rule_is_wrong(programs, capsys):
    rules = programs / "iec" / "rules.yaml"
    rules.write_text(
        rules.read_text().replace(
            "funds_cad >= param.minimum_funds", "funds_cad >= 2 * param.minimum_funds"
        )
    )

    with pytest.raises(CommandError, match="failing"):
        call_command("rules", "test", "--program", "iec")

    assert "FAIL " in capsys.readouterr().out


def test_rules_diff_lists_the_applications_a_change_would_flip(programs, tmp_path, capsys):
    current = programs / "iec" / "rules.yaml"
    lowered = tmp_path / "lowered.yaml"
    lowered.write_text(current.read_text().replace("2025-01-01: 2500", "2025-01-01: 2000"))
    applications = tmp_path / "past.jsonl"
    lines = [
        {**ELIGIBLE, "id": "short", "facts": {**ELIGIBLE["facts"], "funds_cad": 2200}},
        {**ELIGIBLE, "id": "ample", "facts": {**ELIGIBLE["facts"], "funds_cad": 9000}},
    ]
    applications.write_text("".join(json.dumps(line) + "\n" for line in lines))

    call_command(
        "rules",
        "diff",
        "--program",
        "iec",
        "--from",
        "current",
        "--to",
        str(lowered),
        "--input",
        str(applications),
    )

    out = capsys.readouterr().out
    assert "2 applications of iec, 1 would change" in out
    assert "short: needs_officer (tier 3) -> eligible_auto (tier 1)" in out
    assert "minimum-funds: fail -> pass" in out
    assert "ample:" not in out


def test_rules_diff_reads_a_version_from_git(programs, tmp_path, capsys, settings):
    settings.PASSAGE_PROGRAMS_DIR = PROGRAMS
    applications = tmp_path / "past.jsonl"
    applications.write_text(json.dumps(ELIGIBLE) + "\n")

    call_command(
        "rules",
        "diff",
        "--program",
        "iec",
        "--from",
        "HEAD",
        "--to",
        "current",
        "--input",
        str(applications),
    )

    assert "1 applications of iec" in capsys.readouterr().out


def test_an_unknown_version_is_a_usage_error(programs, tmp_path):
    applications = tmp_path / "past.jsonl"
    applications.write_text("")

    with pytest.raises(CommandError) as error:
        call_command(
            "rules",
            "diff",
            "--program",
            "iec",
            "--from",
            "no-such-revision",
            "--to",
            "current",
            "--input",
            str(applications),
        )
    assert error.value.returncode == 2
