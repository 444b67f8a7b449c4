"""An assessment records, next to the interchange's English, what people read in both
languages: each criterion's detail, with codes by their names, and its citation's title."""

import pytest

from passage.triage.services import retriage_open_cases, triage_case
from tests.builders import iec_answers, submit_case
from tests.triage.test_services import assessment_of, stricter_iec_rules  # noqa: F401

pytestmark = pytest.mark.django_db


def criterion(assessment: dict, criterion_id: str) -> dict:
    return next(c for c in assessment["criteria"] if c["id"] == criterion_id)


def test_triage_records_each_detail_and_citation_in_english_and_french(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0

    case = triage_case(case_id=submit_case(answers=iec_answers(funds_cad=1200)).public_id)

    funds = criterion(assessment_of(case), "minimum-funds")
    assert funds["detail"] == "CAD 1200; minimum CAD 2500"  # the interchange's, as it was
    assert funds["details"] == {
        "en": "CAD 1200; minimum CAD 2500",
        "fr": "1200 $ CA\u00a0; minimum 2500 $ CA",
    }
    assert funds["citation"]["title"] == (
        "IEC program delivery instructions: Eligibility requirements (proof of funds)"
    )
    assert funds["citation"]["title_fr"] == (
        "Instructions d\u2019exécution de programme d\u2019EIC\u00a0: "
        "exigences d\u2019admissibilité (preuve de fonds)"
    )
    country = criterion(assessment_of(case), "partner-country-category")
    assert country["details"]["fr"].startswith("France offre\u00a0: Permis vacances-travail")
    assert country["details"]["en"].endswith("applied for Working Holiday")


def test_retriage_records_both_languages_too(settings, stricter_iec_rules):  # noqa: F811
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    case = triage_case(case_id=submit_case(answers=iec_answers(funds_cad=3000)).public_id)
    settings.PASSAGE_PROGRAMS_DIR = str(stricter_iec_rules)

    assert retriage_open_cases(program="iec").assessed == 1

    funds = criterion(assessment_of(case), "minimum-funds")
    assert funds["details"]["fr"] == "3000 $ CA\u00a0; minimum 5000 $ CA"
