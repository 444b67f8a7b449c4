"""`passage triage` as the interchange spec defines it: JSON Lines in and out, in order,
exit status 0, 1 or 2."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.rules.builders import create_iec_line

ELIGIBLE = {**create_iec_line("working-holiday"), "id": "a-1"}
SHORT_OF_FUNDS = {**ELIGIBLE, "id": "a-2", "facts": {**ELIGIBLE["facts"], "funds_cad": 565}}
MISSING_FACT = {
    **ELIGIBLE,
    "id": "a-3",
    "facts": {k: v for k, v in ELIGIBLE["facts"].items() if k != "insurance_until"},
}
WRONG_TYPE = {**ELIGIBLE, "id": "a-4", "facts": {**ELIGIBLE["facts"], "funds_cad": "lots"}}


def run(tmp_path: Path, lines: list[str], *arguments: str) -> tuple[int, list[dict]]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    try:
        call_command("triage", "--input", str(source), "--output", str(target), *arguments)
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    results = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return status, results


def test_every_line_gets_its_result_in_order_and_a_clean_batch_exits_0(tmp_path):
    lines = [json.dumps(line) for line in (ELIGIBLE, SHORT_OF_FUNDS, MISSING_FACT)]

    status, results = run(tmp_path, lines)

    assert status == 0
    assert [r["id"] for r in results] == ["a-1", "a-2", "a-3"]
    assert [(r["outcome"], r["tier"]) for r in results] == [
        ("eligible_auto", 1),
        ("needs_officer", 3),
        ("needs_officer", 2),
    ]
    assert all(r["ruleset"].startswith("iec@") for r in results)


def test_each_result_explains_itself_criterion_by_criterion(tmp_path):
    _status, [result] = run(tmp_path, [json.dumps(SHORT_OF_FUNDS)])

    funds = next(c for c in result["criteria"] if c["id"] == "minimum-funds")
    assert funds["result"] == "fail"
    assert "565" in funds["detail"]
    assert "2500" in funds["detail"].replace(",", "")
    assert funds["citation"]
    assert all(c["citation"] for c in result["criteria"])


def test_a_missing_fact_is_unknown_and_goes_to_an_officer(tmp_path):
    _status, [result] = run(tmp_path, [json.dumps(MISSING_FACT)])

    insurance = next(c for c in result["criteria"] if c["id"] == "insurance-covers-stay")
    assert insurance["result"] == "unknown"
    assert result["outcome"] == "needs_officer"


def test_invalid_lines_get_an_error_the_others_are_still_evaluated_and_it_exits_1(tmp_path):
    lines = [
        json.dumps(ELIGIBLE),
        "{not json",
        json.dumps(WRONG_TYPE),
        json.dumps({"id": "z", "program": "no-such-program", "facts": {}}),
    ]

    status, results = run(tmp_path, lines)

    assert status == 1
    assert results[0]["outcome"] == "eligible_auto"
    assert "not valid JSON" in results[1]["error"]
    assert results[2]["id"] == "a-4"
    assert "funds_cad" in results[2]["error"]
    assert "unknown program" in results[3]["error"]


def test_no_result_line_is_ever_a_refusal(tmp_path):
    lines = [json.dumps(line) for line in (ELIGIBLE, SHORT_OF_FUNDS, MISSING_FACT)]

    _status, results = run(tmp_path, lines)

    assert {r["outcome"] for r in results} <= {"eligible_auto", "needs_officer"}


def test_an_unreadable_file_or_a_bad_date_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError) as missing:
        call_command("triage", "--input", str(tmp_path / "absent.jsonl"))
    with pytest.raises(CommandError) as bad_date:
        call_command("triage", "--input", "-", "--as-of", "2026-02-30")

    assert missing.value.returncode == bad_date.value.returncode == 2


def test_it_reads_stdin_and_writes_stdout_by_default(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(ELIGIBLE) + "\n"))

    call_command("triage")

    assert json.loads(capsys.readouterr().out)["outcome"] == "eligible_auto"


def test_an_unknown_option_exits_2_from_the_command_line():
    completed = subprocess.run(
        [sys.executable, "-m", "passage.cli", "triage", "--no-such-option"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 2
    assert "unrecognized arguments" in completed.stderr
