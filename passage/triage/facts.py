"""The interchange facts of a submitted application, for its program's ruleset.

Answers are named after the facts of the program (docs/api.md lists them); the typed
fields of the application supply the identity facts, and the submission date stands in
for `application_date` when the answers do not carry it. Anything else is left out, so a
missing answer is a missing fact: its criterion is `unknown` and an officer looks.
"""

from datetime import date
from typing import Any

from passage.intake.models import Application
from passage.rules.loader import RuleSet


def application_facts(
    ruleset: RuleSet,
    answers: dict[str, Any],
    *,
    date_of_birth: date,
    citizenship: str,
    submitted_on: date,
) -> dict[str, Any]:
    """The facts the ruleset declares, taken from the answers and the application."""
    typed = {
        "date_of_birth": date_of_birth.isoformat(),
        "citizenship": citizenship,
        "application_date": submitted_on.isoformat(),
    }
    facts: dict[str, Any] = {}
    for name in ruleset.facts:
        if name in answers:
            facts[name] = answers[name]
        elif name in typed:
            facts[name] = typed[name]
    return facts


def interchange_line(
    ruleset: RuleSet, application: Application, answers: dict[str, Any], line_id: str
) -> dict[str, Any]:
    """The application as an interchange input line (`passage triage` reads the same)."""
    return {
        "id": line_id,
        "program": ruleset.program,
        "category": application.category or None,
        "facts": application_facts(
            ruleset,
            answers,
            date_of_birth=application.date_of_birth,
            citizenship=application.citizenship,
            submitted_on=application.submitted_at.date(),
        ),
    }
