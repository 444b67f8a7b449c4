"""`passage retriage` from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from passage.triage.services import triage_case
from tests.builders import iec_answers, submit_case

pytestmark = pytest.mark.django_db


def test_retriage_reports_what_it_did():
    triage_case(case_id=submit_case(answers=iec_answers()).public_id)
    out = io.StringIO()

    call_command("retriage", "--program", "iec", stdout=out)

    assert "0 files assessed again, 1 already on the rules in force" in out.getvalue()


def test_retriage_names_the_known_programs_when_given_an_unknown_one():
    with pytest.raises(CommandError, match=r"known programs: .*iec"):
        call_command("retriage", "--program", "visitor-visa")
