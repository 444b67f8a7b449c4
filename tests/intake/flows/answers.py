"""Complete answers for each program's flow, as the flow stores them (question id ->
answer in its interchange shape), for a person who meets every criterion."""

from typing import Any

IDENTITY = {
    "given_name": "Amélie",
    "family_name": "Poulain",
    "citizenship": "FR",
    "email": "amelie@example.com",
    "preferred_language": "fr",
}

ANSWERS: dict[str, dict[str, Any]] = {
    "iec": {
        **IDENTITY,
        "category": "working-holiday",
        "date_of_birth": "1998-02-28",
        "invitation_date": "2026-01-12",
        "stay_until": "2027-01-12",
        "insurance_until": "2027-01-31",
        "funds_cad": 3000,
        "accompanying_dependants": False,
        "previous_participations": 0,
    },
    "pr-card": {
        **IDENTITY,
        "date_of_birth": "1985-05-04",
        "became_pr_on": "2015-03-01",
        "travelled": True,
        "absences": [
            {"from": "2023-07-01", "to": "2023-08-15", "credited": False},
            {"from": "2024-12-20", "to": "2025-01-05", "credited": False},
        ],
    },
    "citizenship": {
        **IDENTITY,
        "date_of_birth": "1990-04-12",
        "became_pr_on": "2019-05-10",
        "lived_before_pr": True,
        "pre_pr_periods": [{"from": "2017-09-01", "to": "2019-05-09"}],
        "travelled": False,
        "tax_years_filed": [2021, 2022, 2023, 2024, 2025],
        "language_clb": 6,
        "knowledge_test_passed": True,
    },
    "family-sponsor": {
        **IDENTITY,
        "category": "spouse",
        "date_of_birth": "1988-11-02",
        "sponsor_status": "citizen",
        "resides_in_canada": True,
        "social_assistance_non_disability": False,
        "in_default": False,
        "undischarged_bankrupt": False,
        "barring_conviction": False,
        "in_prison": False,
        "under_removal_order": False,
        "was_sponsored_spouse": False,
        "principal_given_name": "Nino",
        "principal_family_name": "Quincampoix",
        "principal_date_of_birth": "1987-06-30",
        "has_dependent_children": False,
    },
    "it-worker": {
        **IDENTITY,
        "date_of_birth": "1975-01-20",
        "employer_name": "Logiciels Boréal inc.",
        "has_written_job_offer": True,
        "occupation": "software-products-developer",
        "province": "QC",
    },
}


def answers_for(program: str, **overrides: Any) -> dict[str, Any]:
    return {**ANSWERS[program], **overrides}
