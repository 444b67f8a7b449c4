"""`passage ecopr render` and `passage ecopr verify`, and `passage cards`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passage.residence import review
from passage.residence.models import Confirmation
from tests.residence.builders import DETAILS, key, officer_of, ready_for_review

pytestmark = pytest.mark.django_db


def confirmed() -> Confirmation:
    _, principal = ready_for_review()
    review.confirm_residence(
        officer=officer_of(principal),
        confirmation_id=principal.public_id,
        details=DETAILS,
        idempotency_key=key(),
    )
    return Confirmation.objects.get(pk=principal.pk)


def test_render_writes_the_issued_ecopr_and_verify_says_it_is_genuine(tmp_path, capsys):
    person = confirmed()
    output = tmp_path / "ecopr.pdf"

    call_command("ecopr", "render", "--case", person.case.reference, "--output", str(output))
    # Genuine: the command returns normally (exit status 0).
    call_command("ecopr", "verify", str(output))

    said = capsys.readouterr().out
    assert "genuine" in said
    assert "Quincampoix" in said


def test_verify_exits_1_with_the_reason_for_a_changed_file(tmp_path, capsys):
    person = confirmed()
    output = tmp_path / "ecopr.pdf"
    call_command("ecopr", "render", "--case", person.case.reference, "--output", str(output))
    content = bytearray(output.read_bytes())
    middle = len(content) // 3
    content[middle] = (content[middle] + 1) % 256
    output.write_bytes(bytes(content))

    with pytest.raises(SystemExit) as exited:
        call_command("ecopr", "verify", str(output))

    assert exited.value.code == 1
    assert "not genuine" in capsys.readouterr().out


def test_render_says_when_nothing_was_issued_yet():
    _, principal = ready_for_review()

    with pytest.raises(CommandError, match="not confirmed yet"):
        call_command("ecopr", "render", "--case", principal.case.reference, "--output", "x.pdf")


def test_verify_of_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exited:
        call_command("ecopr", "verify", str(tmp_path / "missing.pdf"))

    assert exited.value.code == 2
