"""Each criterion's detail as people read it, in English and French: values in the
language's words and codes by their names, while the interchange keeps its own detail."""

from passage.rules.loader import load_ruleset
from passage.rules.results import evaluate
from passage.rules.wording import details_for_people, shown_value
from tests.rules.builders import IEC_RULES, create_iec_line

NAMES = {
    "en": {"FR": "France", "young-professionals": "Young Professionals"},
    "fr": {"FR": "France", "young-professionals": "Jeunes professionnels"},
}


def test_a_french_detail_is_written_in_french_with_codes_by_their_names():
    ruleset = load_ruleset(IEC_RULES)

    details = details_for_people(ruleset, create_iec_line(job_offer=True), names=NAMES)

    assert details["job-offer"] == {"en": "job offer: yes", "fr": "offre d\u2019emploi\u00a0: oui"}
    assert details["minimum-funds"]["fr"] == "3000 $ CA\u00a0; minimum 2500 $ CA"
    assert "Jeunes professionnels" in details["partner-country-category"]["fr"]
    assert "young-professionals" not in details["partner-country-category"]["fr"]
    assert "France" in details["age-in-range"]["fr"]


def test_the_interchange_detail_stays_as_it_was():
    ruleset = load_ruleset(IEC_RULES)
    line = create_iec_line(job_offer=True)

    result = evaluate(ruleset, line)

    by_id = {criterion["id"]: criterion for criterion in result["criteria"]}
    assert by_id["job-offer"]["detail"] == "job offer: yes"
    assert by_id["partner-country-category"]["detail"].endswith("applied for young-professionals")


def test_details_cover_the_criteria_that_apply_and_an_invalid_line_has_none():
    ruleset = load_ruleset(IEC_RULES)

    details = details_for_people(ruleset, create_iec_line("working-holiday"))

    assert "job-offer" not in details  # not a criterion of Working Holiday
    assert details_for_people(ruleset, {"program": "iec", "facts": []}) == {}


def test_values_read_in_each_languages_words():
    assert shown_value(None, "fr", {}) == "non indiqué"
    assert shown_value(False, "fr", {}) == "non"
    assert shown_value([], "en", {}) == "none"
    assert shown_value(["FR", "XX"], "fr", NAMES["fr"]) == "France, XX"
    assert shown_value("1,095", "fr", {}) == "1\u00a0095"
    assert shown_value("1,095", "en", {}) == "1,095"
