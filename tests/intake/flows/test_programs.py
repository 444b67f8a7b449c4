"""Each program's question flow against its rules: no fact the rules read is forgotten,
conditional pages follow the answers, and the example of each questions.yaml passes the
flow's checks page by page and gives the facts that make the file eligible in the rules
engine. Every program of `programs/` is checked, with no line here naming it."""

import datetime
from typing import Any

import pytest

from passage.intake.flows import engine
from passage.programs.questions import FLOW_FILE
from passage.rules.results import evaluate
from passage.triage.facts import application_facts
from tests.intake.flows.answers import ANSWERS, BUNDLES, PROGRAMS, answers_for

FLOWS = {code: bundle.flow for code, bundle in BUNDLES.items() if bundle.flow}
SUBMITTED_ON = datetime.date(2026, 3, 1)
# Facts that passage/triage/facts.py takes from the application rather than the answers.
FROM_THE_APPLICATION = {"date_of_birth", "citizenship", "application_date"}


def facts_of(program: str, answers: dict, on: datetime.date = SUBMITTED_ON) -> dict:
    built = engine.submission(FLOWS[program], answers, submitted_on=on)
    return application_facts(
        BUNDLES[program].ruleset,
        built.answers,
        date_of_birth=built.fields["date_of_birth"],
        citizenship=built.fields["citizenship"],
        submitted_on=on,
    )


def outcome_of(program: str, answers: dict, on: datetime.date = SUBMITTED_ON) -> dict:
    built = engine.submission(FLOWS[program], answers, submitted_on=on)
    line = {
        "id": "test",
        "program": program,
        "category": built.fields.get("category") or None,
        "facts": facts_of(program, answers, on),
    }
    return evaluate(BUNDLES[program].ruleset, line, as_of=on)


def test_every_program_with_a_questions_file_has_a_flow_and_an_example():
    with_questions = {path.parent.name for path in PROGRAMS.glob(f"*/{FLOW_FILE}")}

    assert with_questions
    assert set(FLOWS) == with_questions
    assert set(ANSWERS) == with_questions, "each questions.yaml needs an `example:`"


@pytest.mark.parametrize("program", sorted(FLOWS))
def test_every_fact_the_rules_read_is_produced_by_the_flow(program):
    ruleset = BUNDLES[program].ruleset

    forgotten = set(ruleset.facts) - FROM_THE_APPLICATION - FLOWS[program].facts

    assert forgotten == set()


@pytest.mark.parametrize("program", sorted(FLOWS))
def test_every_fact_the_flow_names_is_one_the_rules_read(program):
    ruleset = BUNDLES[program].ruleset

    assert FLOWS[program].facts - set(ruleset.facts) == set()


@pytest.mark.parametrize("program", sorted(ANSWERS))
def test_the_example_passes_every_page_of_its_flow_as_typed_in_on_its_day(program):
    flow = FLOWS[program]
    assert flow.example is not None
    day = flow.example.submitted_on
    example = flow.example.answers_copy()
    given: dict[str, Any] = {}

    for page in engine.visible_pages(flow, example, on=day):
        # What a person types in the page's inputs to give the example's answers.
        typed: dict[str, str] = {}
        for question in page.questions:
            typed.update(engine.answer_inputs(question, example.get(question.id)))
        result = engine.parse_page(flow, page, typed, given, today=day)

        assert result.errors == [], f"page {page.id!r}"
        assert result.values == {key: example.get(key) for key in result.values}, (
            f"page {page.id!r}: the example is not in the shape the flow stores"
        )
        given.update(result.values)

    assert engine.incomplete_pages(flow, given, on=day) == []
    # Every answer of the example counts: none is to a question its other answers hide.
    assert set(example) - set(given) == set()


@pytest.mark.parametrize("program", sorted(ANSWERS))
def test_the_example_gives_facts_that_make_the_file_eligible_on_its_day(program):
    example = FLOWS[program].example
    assert example is not None

    result = outcome_of(program, example.answers_copy(), on=example.submitted_on)

    assert result["outcome"] == "eligible_auto", result["criteria"]
    assert {criterion["result"] for criterion in result["criteria"]} == {"pass"}


def test_iec_asks_for_a_job_offer_only_in_the_categories_that_need_one():
    flow = FLOWS["iec"]

    def pages(category):
        return [
            page.id for page in engine.visible_pages(flow, answers_for("iec", category=category))
        ]

    assert "job-offer" not in pages("working-holiday")
    assert "enrolment" not in pages("working-holiday")
    assert "job-offer" in pages("young-professionals")
    assert "enrolment" not in pages("young-professionals")
    assert {"job-offer", "enrolment"} <= set(pages("international-coop"))


def test_iec_answers_become_the_interchange_facts():
    answers = answers_for(
        "iec", category="international-coop", job_offer=True, enrolled_post_secondary=True
    )

    assert facts_of("iec", answers) == {
        "citizenship": "FR",
        "date_of_birth": "1998-02-28",
        "invitation_date": "2026-01-12",
        "funds_cad": 3000,
        "insurance_until": "2027-01-31",
        "stay_until": "2027-01-12",
        "accompanying_dependants": False,
        "job_offer": True,
        "enrolled_post_secondary": True,
        "previous_participations": 0,
    }
    assert outcome_of("iec", answers)["outcome"] == "eligible_auto"


def test_iec_funds_below_the_minimum_send_the_file_to_an_officer():
    result = outcome_of("iec", answers_for("iec", funds_cad=1200))

    assert result["outcome"] == "needs_officer"


def test_a_pr_card_holder_who_did_not_travel_has_no_absences():
    answers = answers_for("pr-card", travelled=False)

    assert "absences" not in [p.id for p in engine.visible_pages(FLOWS["pr-card"], answers)]
    facts = facts_of("pr-card", answers)
    assert facts["absences"] == []
    assert facts["examination_date"] == SUBMITTED_ON.isoformat()


def test_pr_card_trips_abroad_are_counted_and_a_long_one_goes_to_an_officer():
    long_trip = [{"from": "2021-04-01", "to": "2025-01-01", "credited": False}]
    credited = [{"from": "2021-04-01", "to": "2025-01-01", "credited": True}]

    assert outcome_of("pr-card", answers_for("pr-card", absences=long_trip))["outcome"] == (
        "needs_officer"
    )
    assert outcome_of("pr-card", answers_for("pr-card", absences=credited))["outcome"] == (
        "eligible_auto"
    )


def test_citizenship_presence_history_becomes_the_periods_the_rules_count():
    facts = facts_of("citizenship", ANSWERS["citizenship"])

    assert facts["pre_pr_periods"] == [{"from": "2017-09-01", "to": "2019-05-09"}]
    assert facts["absences"] == []
    assert facts["signing_date"] == SUBMITTED_ON.isoformat()
    assert facts["tax_years_filed"] == [2021, 2022, 2023, 2024, 2025]


def test_a_sponsor_who_never_was_a_sponsored_spouse_gives_null_for_that_date():
    facts = facts_of("family-sponsor", ANSWERS["family-sponsor"])

    assert facts["became_pr_as_sponsored_spouse_on"] is None
    assert facts["sponsor_date_of_birth"] == "1988-11-02"


def test_a_sponsor_sponsored_as_a_spouse_three_years_ago_goes_to_an_officer():
    answers = answers_for(
        "family-sponsor", was_sponsored_spouse=True, became_pr_as_sponsored_spouse_on="2023-01-10"
    )

    assert "sponsored-on" in [p.id for p in engine.visible_pages(FLOWS["family-sponsor"], answers)]
    assert outcome_of("family-sponsor", answers)["outcome"] == "needs_officer"


def test_sponsoring_a_child_does_not_ask_about_being_a_sponsored_spouse():
    answers = answers_for("family-sponsor", category="dependent-child")

    pages = [p.id for p in engine.visible_pages(FLOWS["family-sponsor"], answers)]
    assert "sponsored-before" not in pages
    assert "sponsored-on" not in pages


def test_a_software_worker_outside_the_listed_occupations_goes_to_an_officer():
    result = outcome_of("it-worker", answers_for("it-worker", occupation="other"))

    assert result["outcome"] == "needs_officer"


CHILDREN = [
    {
        "given_name": "Léa",
        "family_name": "Quincampoix",
        "date_of_birth": "2015-05-03",
        "relationship": "biological",
    },
    {
        "given_name": "Tom",
        "family_name": "Quincampoix",
        "date_of_birth": "2019-10-21",
        "relationship": "adopted",
    },
]


def test_the_dependent_children_are_listed_only_when_some_come_along():
    flow = FLOWS["family-sponsor"]
    without = answers_for("family-sponsor", has_dependent_children=False)
    with_children = answers_for(
        "family-sponsor", has_dependent_children=True, dependent_children=CHILDREN
    )

    assert "children" not in [p.id for p in engine.visible_pages(flow, without)]
    assert "children" in [p.id for p in engine.visible_pages(flow, with_children)]
    assert [
        p.id for p in engine.incomplete_pages(flow, {**with_children, "dependent_children": []})
    ] == ["children"]


def test_the_dependent_children_are_kept_for_the_officer_and_do_not_change_the_triage():
    answers = answers_for(
        "family-sponsor", has_dependent_children=True, dependent_children=CHILDREN
    )

    built = engine.submission(FLOWS["family-sponsor"], answers, submitted_on=SUBMITTED_ON)

    assert built.answers["dependent_children"] == CHILDREN
    assert "dependent_children" not in facts_of("family-sponsor", answers)
    assert outcome_of("family-sponsor", answers)["outcome"] == "eligible_auto"


def born_years_before(years: int, days: int = 0) -> str:
    day = SUBMITTED_ON.replace(year=SUBMITTED_ON.year - years)
    return (day + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("date_of_birth", "asked"),
    [
        (born_years_before(18), True),  # 18 on the day of application
        (born_years_before(18, days=1), False),  # 17, 18 tomorrow
        (born_years_before(55, days=1), True),  # 54, 55 tomorrow
        (born_years_before(55), False),  # 55 on the day of application
    ],
)
def test_citizenship_asks_for_language_and_the_test_only_from_18_to_54_on_the_day(
    date_of_birth, asked
):
    answers = answers_for("citizenship", date_of_birth=date_of_birth)

    pages = [p.id for p in engine.visible_pages(FLOWS["citizenship"], answers, on=SUBMITTED_ON)]

    assert ("language-level" in pages) is asked
    assert ("knowledge" in pages) is asked


def test_an_applicant_of_55_is_not_asked_about_language_and_the_rules_pass_on_their_age():
    answers = answers_for("citizenship", date_of_birth=born_years_before(55))
    del answers["language_clb"], answers["knowledge_test_passed"]

    facts = facts_of("citizenship", answers)
    result = outcome_of("citizenship", answers)

    assert engine.incomplete_pages(FLOWS["citizenship"], answers, on=SUBMITTED_ON) == []
    assert facts["language_clb"] is None
    assert facts["knowledge_test_passed"] is None
    assert result["outcome"] == "eligible_auto", result["criteria"]


def test_an_applicant_of_54_must_answer_about_language():
    answers = answers_for("citizenship", date_of_birth=born_years_before(55, days=1))
    del answers["language_clb"], answers["knowledge_test_passed"]

    missing = engine.incomplete_pages(FLOWS["citizenship"], answers, on=SUBMITTED_ON)

    assert [page.id for page in missing] == ["language-level", "knowledge"]
