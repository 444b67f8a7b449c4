"""`passage mail classify` as the spec gives it: one result line per input line, in
order; exit 0, 1 when a line was invalid, 2 for a usage error."""

import json
import subprocess
import sys
from pathlib import Path

PASSAGE = [sys.executable, "-m", "passage.cli"]
EMAIL = {
    "id": "a1",
    "from": "x@example.org",
    "subject": "Re: dossier",
    "body": "Bonjour, ça fait 8 mois, où en est mon dossier?",
    "received_at": "2026-12-07T10:00:00-05:00",
}


def run(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [*PASSAGE, "mail", "classify", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_emails_on_stdin_are_classified_to_stdout() -> None:
    done = run(stdin=json.dumps(EMAIL) + "\n")
    assert done.returncode == 0, done.stderr
    (line,) = [json.loads(text) for text in done.stdout.splitlines()]
    assert line["id"] == "a1"
    assert (line["language"], line["category"]) == ("fr", "status-enquiry")
    assert line["case_reference"] is None


def test_an_invalid_line_gives_its_error_line_and_exit_1(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps(EMAIL) + "\n{broken\n", encoding="utf-8")
    done = run("--input", str(source), "--output", str(target))
    assert done.returncode == 1
    first, second = [json.loads(text) for text in target.read_text(encoding="utf-8").splitlines()]
    assert first["category"] == "status-enquiry"
    assert second["id"] is None
    assert "not JSON" in second["error"]


def test_a_file_that_cannot_be_opened_is_a_usage_error(tmp_path: Path) -> None:
    done = run("--input", str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert "cannot open" in done.stderr
    assert run("--unknown").returncode == 2


def test_training_with_labels_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [*PASSAGE, "mail", "train", "--labels", str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "the labels cannot be read" in done.stderr


def test_every_input_line_gets_its_line_even_blank_or_not_utf8_or_with_an_odd_id(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        json.dumps(EMAIL).encode()
        + b"\n\n"
        + b'{"id": "caf\xe9", "body": "x"}\n'
        + b'{"id": "\\ud800", "body": "Any update on my file?"}\n'
    )
    done = run("--input", str(source))
    assert done.returncode == 1
    lines = [json.loads(text) for text in done.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["id"] == "a1"
    assert "error" in lines[1]
    assert lines[2]["error"] == "not UTF-8 text"
    assert lines[3]["category"] == "status-enquiry"
