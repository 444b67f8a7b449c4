"""The `example:` of a questions.yaml: read as data on the flow, each key a question of
the flow and each answer in the shape the flow stores it, or an error naming the file
and line."""

# ruff: noqa: E501 - the YAML written for the test reads best one question a line

import datetime
from pathlib import Path

import pytest

from passage.programs.questions import FlowError, load_flow
from tests.intake.flows.test_engine import IDENTITY

FLOW = (
    """program: demo
pages:"""
    + IDENTITY
    + """
  - id: trips
    title: {en: "Trips", fr: "Voyages"}
    questions:
      - {id: travelled, type: yes-no, label: {en: "Travelled", fr: "Voyagé"}}
      - {id: absences, type: periods, credited: {en: "Counts", fr: "Compte"}, label: {en: "Trips", fr: "Voyages"}}
      - {id: tax_years, type: years, label: {en: "Tax years", fr: "Années"}}
      - {id: funds, type: number, min: 0, label: {en: "Funds", fr: "Fonds"}}
  - id: family
    title: {en: "Family", fr: "Famille"}
    questions:
      - id: status
        type: choice
        label: {en: "Status", fr: "Statut"}
        options:
          - {value: citizen, label: {en: "Citizen", fr: "Citoyen"}}
          - {value: resident, label: {en: "Resident", fr: "Résident"}}
      - {id: children, type: people, required: false, max_rows: 3, label: {en: "Children", fr: "Enfants"}, row: {en: "Child", fr: "Enfant"}, add: {en: "Add a child", fr: "Ajouter un enfant"}, relationship: {en: "Relationship", fr: "Lien"}, options: [{value: biological, label: {en: "Biological", fr: "Biologique"}}, {value: adopted, label: {en: "Adopted", fr: "Adopté"}}]}
"""
)

EXAMPLE = """example:
  submitted_on: 2026-03-01
  answers:
    given_name: Amélie
    family_name: Poulain
    date_of_birth: 1998-02-28
    citizenship: FR
    email: amelie@example.com
    travelled: true
    absences:
      - {from: 2024-12-20, to: 2025-01-05, credited: false}
    tax_years: [2024, 2025]
    funds: 3000
    status: citizen
    children:
      - {given_name: Léa, family_name: Poulain, date_of_birth: 2015-05-03, relationship: adopted}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, example: str) -> str:
    path = write(tmp_path, FLOW + example)
    with pytest.raises(FlowError) as raised:
        load_flow(path)
    return str(raised.value)


def line_of(text: str, fragment: str) -> int:
    """The line of the flow and example where `fragment` first appears."""
    lines = (FLOW + text).splitlines()
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def test_a_flow_without_an_example_has_none(tmp_path):
    assert load_flow(write(tmp_path, FLOW)).example is None


def test_the_example_is_kept_on_the_flow_in_the_shape_the_flow_stores(tmp_path):
    flow = load_flow(write(tmp_path, FLOW + EXAMPLE))

    assert flow.example is not None
    assert flow.example.submitted_on == datetime.date(2026, 3, 1)
    assert flow.example.answers_copy() == {
        "given_name": "Amélie",
        "family_name": "Poulain",
        "date_of_birth": "1998-02-28",
        "citizenship": "FR",
        "email": "amelie@example.com",
        "travelled": True,
        "absences": [{"from": "2024-12-20", "to": "2025-01-05", "credited": False}],
        "tax_years": [2024, 2025],
        "funds": 3000,
        "status": "citizen",
        "children": [
            {
                "given_name": "Léa",
                "family_name": "Poulain",
                "date_of_birth": "2015-05-03",
                "relationship": "adopted",
            }
        ],
    }


def test_the_example_cannot_be_changed_through_the_flow(tmp_path):
    flow = load_flow(write(tmp_path, FLOW + EXAMPLE))
    assert flow.example is not None

    copied = flow.example.answers_copy()
    copied["absences"].clear()

    with pytest.raises(TypeError):
        flow.example.answers["funds"] = 1  # type: ignore[index]
    assert flow.example.answers["absences"] != []


def test_an_answer_to_no_question_of_the_flow_is_named_with_its_line(tmp_path):
    example = EXAMPLE + "    funds_cad: 3000\n"

    message = error_of(tmp_path, example)

    assert message.startswith(f"{tmp_path / 'questions.yaml'}:{line_of(example, 'funds_cad')}:")
    assert "'funds_cad' is not a question of the flow" in message


@pytest.mark.parametrize(
    ("wrong", "right", "expected"),
    [
        (
            "submitted_on: 2026-03-01",
            "submitted_on: March 1st",
            "example.submitted_on must be a date",
        ),
        ("date_of_birth: 1998-02-28", "date_of_birth: 1998-02-30", "date_of_birth must be a date"),
        ("travelled: true", "travelled: 'yes'", "travelled must be true or false"),
        ("funds: 3000", "funds: '3 000 $'", "funds must be a number"),
        ("citizenship: FR", "citizenship: France", "citizenship must be a country code"),
        ("tax_years: [2024, 2025]", "tax_years: 2024", "tax_years must be a list of years"),
        ("status: citizen", "status: visitor", "status must be one of citizen, resident"),
        ("credited: false}", "credited: 'no'}", "credited must be true or false"),
        ("to: 2025-01-05, ", "", "a period of example.answers.absences is missing 'to'"),
        ("relationship: adopted", "relationship: cousin", "relationship must be one of"),
        ("given_name: Amélie", "given_name: ''", "given_name must be text"),
        ("given_name: Amélie", "given_name: null", "the question is required, not null"),
    ],
)
def test_an_answer_in_the_wrong_shape_is_named_with_its_line(tmp_path, wrong, right, expected):
    assert wrong in EXAMPLE
    example = EXAMPLE.replace(wrong, right, 1)

    message = error_of(tmp_path, example)

    assert expected in message
    assert message.startswith(
        f"{tmp_path / 'questions.yaml'}:{line_of(example, right or '- {from: 2024')}:"
    )


def test_an_optional_question_may_be_answered_with_nothing(tmp_path):
    children = EXAMPLE.index("    children:")
    flow = load_flow(write(tmp_path, FLOW + EXAMPLE[:children] + "    children: null\n"))

    assert flow.example is not None
    assert flow.example.answers["children"] is None
