"""A batch written from the interchange contract alone (docs and spec, no code read):
family-sponsor lines without a category and IEC lines without the optional count of
earlier participations are valid, with the outcomes the contract gives, through
`passage triage` and `POST /api/v1/triage` alike. Only IEC requires a category."""

import json

import pytest

from passage.accounts.roles import Role
from tests.accounts.builders import api_token
from tests.builders import create_user
from tests.rules.builders import create_iec_line
from tests.triage.test_triage_command import run

SPONSOR_FACTS = {
    "application_date": "2026-04-01",
    "sponsor_date_of_birth": "1988-03-12",
    "sponsor_status": "citizen",
    "resides_in_canada": True,
    "social_assistance_non_disability": False,
    "in_default": False,
    "undischarged_bankrupt": False,
    "barring_conviction": False,
    "in_prison": False,
    "under_removal_order": False,
    "became_pr_as_sponsored_spouse_on": None,
}
# What a working-holiday line needs, as the contract's table lists it: no job offer, no
# enrolment, and the optional count of earlier participations left out.
IEC_FACTS = {
    name: value
    for name, value in create_iec_line("working-holiday")["facts"].items()
    if name not in ("job_offer", "enrolled_post_secondary", "previous_participations")
}
FROM_THE_CONTRACT = [
    {"id": "sponsor", "program": "family-sponsor", "facts": SPONSOR_FACTS},
    {
        "id": "sponsor-in-default",
        "program": "family-sponsor",
        "facts": {**SPONSOR_FACTS, "in_default": True},
    },
    {"id": "iec", "program": "iec", "category": "working-holiday", "facts": IEC_FACTS},
    {
        "id": "iec-third-time",
        "program": "iec",
        "category": "working-holiday",
        "facts": {**IEC_FACTS, "previous_participations": 3},
    },
]
EXPECTED = [
    ("sponsor", "eligible_auto", 1),
    ("sponsor-in-default", "needs_officer", 3),
    ("iec", "eligible_auto", 1),
    ("iec-third-time", "needs_officer", 3),
]


def outcomes(results: list[dict]) -> list[tuple[str, str, int]]:
    return [(r["id"], r["outcome"], r["tier"]) for r in results]


def test_the_command_takes_every_line_of_the_contract_batch(tmp_path):
    status, results = run(tmp_path, [json.dumps(line) for line in FROM_THE_CONTRACT])

    assert status == 0
    assert outcomes(results) == EXPECTED
    assert "category" not in results[0]  # nothing was sent, nothing is echoed
    participations = next(
        c for c in results[2]["criteria"] if c["id"] == "participations-below-cap"
    )
    assert participations["result"] == "pass"
    assert participations["detail"].startswith("0 previous participation(s)")


@pytest.mark.django_db
def test_the_api_takes_the_same_batch_with_the_same_outcomes(client):
    token = api_token(create_user(Role.ANALYST), "notebook")

    response = client.post(
        "/api/v1/triage",
        json.dumps(FROM_THE_CONTRACT),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert outcomes(response.json()) == EXPECTED


def test_an_iec_line_without_its_category_is_the_one_invalid_line(tmp_path):
    without = {"id": "no-category", "program": "iec", "facts": IEC_FACTS}

    status, results = run(tmp_path, [json.dumps(without), json.dumps(FROM_THE_CONTRACT[0])])

    assert status == 1
    assert results[0] == {
        "id": "no-category",
        "error": "category is required for iec: one of working-holiday, "
        "young-professionals, international-coop",
    }
    assert results[1]["outcome"] == "eligible_auto"
