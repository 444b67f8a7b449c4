"""`passage forms print` and `passage forms read`, as the spec gives them: a document in,
a form out; a scan in, the same document out; exit 1 naming what is missing or wrong,
2 for a usage error."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passage.paper import symbols
from passage.paper.layout import render_pdf
from passage.paper.printed import PrintedForm
from passage.programs.flow import Text
from tests.paperforms.builders import document, scanned


def print_form(tmp_path: Path, doc: dict[str, object]) -> Path:
    source = tmp_path / "application.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "form.pdf"
    call_command(
        "forms",
        "print",
        "--form",
        "cit-grant-adult",
        "--input",
        str(source),
        "--output",
        str(target),
    )
    return target


def test_a_printed_form_reads_back_as_the_document_given_with_the_time_it_was_printed(
    tmp_path: Path,
) -> None:
    sent = document(given_name="Łucja-Анна", family_name="O\u2019Brien 山田")
    form = print_form(tmp_path, sent)
    scan = tmp_path / "scan.png"
    scan.write_bytes(scanned(form.read_bytes()))
    output = tmp_path / "back.json"

    call_command("forms", "read", "--input", str(scan), "--output", str(output))

    back = json.loads(output.read_text(encoding="utf-8"))
    printed_at = back.pop("printed_at")
    assert back == sent
    assert printed_at[-6:] in ("-05:00", "-04:00")


def test_a_document_that_is_not_the_form_is_refused_with_exit_1_naming_the_field(
    tmp_path: Path,
) -> None:
    broken = document()
    broken["applicant"]["date_of_birth"] = "28/02/1990"

    with pytest.raises(CommandError) as refused:
        print_form(tmp_path, broken)

    assert refused.value.returncode == 1
    assert "applicant.date_of_birth" in str(refused.value)


def test_a_scan_missing_a_symbol_exits_1_naming_it(tmp_path: Path) -> None:
    texts = symbols.encode(
        {**document(), "printed_at": "2026-12-01T09:03:00-05:00"}, form="cit-grant-adult", chunk=300
    )
    blank = Text("Form", "Formulaire")
    form = PrintedForm(
        "cit-grant-adult", 1, blank, "2026-12-01T09:03:00-05:00", blank, (), (texts[0], *texts[2:])
    )
    scan = tmp_path / "scan.png"
    scan.write_bytes(scanned(render_pdf(form)))

    with pytest.raises(CommandError) as refused:
        call_command("forms", "read", "--input", str(scan))

    assert refused.value.returncode == 1
    assert str(refused.value) == f"symbol 2 of {len(texts)} not found"


def test_a_scan_with_a_wrong_crc_exits_1_with_crc_mismatch(tmp_path: Path) -> None:
    good = symbols.encode(
        {**document(), "printed_at": "2026-12-01T09:03:00-05:00"}, form="cit-grant-adult"
    )
    other = symbols.encode(
        {**document(given_name="Zoé"), "printed_at": "2026-12-01T09:03:00-05:00"},
        form="cit-grant-adult",
    )
    crc = good[0].split(":")[4]
    forged = other[0].split(":")
    forged[4] = crc
    blank = Text("Form", "Formulaire")
    form = PrintedForm(
        "cit-grant-adult", 1, blank, "2026-12-01T09:03:00-05:00", blank, (), (":".join(forged),)
    )
    scan = tmp_path / "scan.png"
    scan.write_bytes(scanned(render_pdf(form)))

    with pytest.raises(CommandError) as refused:
        call_command("forms", "read", "--input", str(scan))

    assert (refused.value.returncode, str(refused.value)) == (1, "CRC mismatch")


def test_an_unknown_form_or_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as unknown:
        call_command("forms", "print", "--form", "nope", "--input", "x.json", "--output", "y.pdf")
    with pytest.raises(CommandError) as missing:
        call_command("forms", "read", "--input", str(tmp_path / "none.png"))

    assert unknown.value.returncode == 2
    assert missing.value.returncode == 2


def test_a_file_that_is_not_a_scan_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("not a scan")

    with pytest.raises(CommandError) as refused:
        call_command("forms", "read", "--input", str(source))

    assert refused.value.returncode == 1
