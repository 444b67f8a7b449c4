"""The facts a submitted application gives its program's rules."""

from datetime import UTC, date, datetime

import pytest

from passage.triage.facts import interchange_line
from passage.triage.rulesets import current_rulesets
from tests.builders import create_program, iec_answers, submit_case

pytestmark = pytest.mark.django_db


def test_answers_and_typed_fields_become_the_facts_the_rules_declare():
    case = submit_case(
        answers={**iec_answers(), "favourite_colour": "blue"},
        date_of_birth=date(1998, 2, 28),
        citizenship="FR",
        now=datetime(2026, 1, 20, tzinfo=UTC),
    )
    ruleset = current_rulesets()["iec"]

    line = interchange_line(ruleset, case.application, iec_answers(), "x")

    assert line["program"] == "iec"
    assert line["category"] == "working-holiday"
    assert line["facts"]["date_of_birth"] == "1998-02-28"
    assert line["facts"]["citizenship"] == "FR"
    assert line["facts"]["funds_cad"] == 3000
    assert "favourite_colour" not in line["facts"]


def test_the_submission_date_stands_in_for_a_missing_application_date():
    create_program("family-dependent-child", categories=[])
    case = submit_case(
        program_code="family-dependent-child",
        category="",
        answers={"child_date_of_birth": "2010-05-01", "is_spouse_or_partner": False},
        now=datetime(2026, 1, 20, tzinfo=UTC),
    )
    ruleset = current_rulesets()["family-dependent-child"]

    line = interchange_line(ruleset, case.application, case.application.answers.get().answers, "x")

    assert line["facts"]["application_date"] == "2026-01-20"
