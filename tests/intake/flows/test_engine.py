"""The flow engine on small flows written for the test: the loader's errors, the order
of pages with conditions, what one page's inputs become, and the errors people see."""

# ruff: noqa: E501, RUF001 - the YAML written for the test reads best one question a line, in French too

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from passage.intake.flows import engine
from passage.intake.flows.messages import display_answer, error_message
from passage.programs.questions import FlowError, load_flow

TODAY = datetime.date(2026, 3, 1)

IDENTITY = """
  - id: name
    title: {en: "Name", fr: "Nom"}
    questions:
      - {id: given_name, type: text, field: given_name, label: {en: "Given names", fr: "Prénoms"}}
      - {id: family_name, type: text, field: family_name, label: {en: "Family name", fr: "Nom"}}
  - id: birth
    title: {en: "Birth", fr: "Naissance"}
    questions:
      - {id: date_of_birth, type: date, field: date_of_birth, past: true, label: {en: "Date of birth", fr: "Date de naissance"}}
  - id: country
    title: {en: "Country", fr: "Pays"}
    questions:
      - {id: citizenship, type: country, field: citizenship, label: {en: "Citizenship", fr: "Citoyenneté"}}
  - id: contact
    title: {en: "Contact", fr: "Contact"}
    questions:
      - {id: email, type: email, field: email, label: {en: "Email", fr: "Courriel"}}
"""

FLOW = (
    """program: demo
submission_date_facts: [examination_date]
pages:
  - id: category
    title: {en: "Category", fr: "Catégorie"}
    questions:
      - id: category
        type: choice
        field: category
        label: {en: "Category", fr: "Catégorie"}
        options:
          - {value: plain, label: {en: "Plain", fr: "Simple"}}
          - {value: worker, label: {en: "Worker", fr: "Travailleur"}}
"""
    + IDENTITY
    + """
  - id: offer
    show_if: {answer: category, equals: worker}
    title: {en: "Job offer", fr: "Offre"}
    questions:
      - {id: job_offer, type: yes-no, fact: job_offer, label: {en: "Job offer", fr: "Offre d’emploi"}}
  - id: travel
    title: {en: "Travel", fr: "Voyages"}
    questions:
      - {id: travelled, type: yes-no, label: {en: "Travelled", fr: "Voyagé"}}
  - id: trips
    show_if: {answer: travelled, equals: true}
    title: {en: "Trips", fr: "Voyages"}
    questions:
      - {id: absences, type: periods, fact: absences, fact_if_hidden: [], required: true, label: {en: "Trips", fr: "Voyages"}}
  - id: money
    title: {en: "Money", fr: "Argent"}
    questions:
      - {id: funds, type: number, fact: funds_cad, min: 0, max: 100000, label: {en: "Funds", fr: "Fonds"}}
  - id: stay
    title: {en: "Stay", fr: "Séjour"}
    questions:
      - {id: stay_until, type: date, fact: stay_until, future: true, label: {en: "End of stay", fr: "Fin du séjour"}}
      - {id: insurance_until, type: date, fact: insurance_until, after: date_of_birth, label: {en: "Insurance", fr: "Assurance"}}
"""
)


@pytest.fixture
def flow(tmp_path: Path):
    path = tmp_path / "demo" / "questions.yaml"
    path.parent.mkdir()
    path.write_text(FLOW, encoding="utf-8")
    return load_flow(path)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def page_ids(pages):
    return [page.id for page in pages]


def test_a_page_shown_only_for_some_answers_appears_once_they_are_given(flow):
    plain = {"category": "plain"}
    worker = {"category": "worker"}

    assert "offer" not in page_ids(engine.visible_pages(flow, plain))
    assert "offer" in page_ids(engine.visible_pages(flow, worker))
    assert engine.next_page(flow, worker, after="contact").id == "offer"
    assert engine.next_page(flow, plain, after="contact").id == "travel"


def test_an_answer_hidden_by_a_later_change_counts_for_nothing_but_is_kept(flow):
    answers = {"category": "plain", "job_offer": True, "travelled": False}

    assert "job_offer" not in engine.current_answers(flow, answers)
    assert engine.current_answers(flow, {**answers, "category": "worker"})["job_offer"] is True


def test_the_back_link_goes_to_the_previous_page_shown(flow):
    answers = {"category": "plain", "travelled": False}

    assert engine.previous_page(flow, answers, before="money").id == "travel"
    assert engine.previous_page(flow, answers, before="category") is None


def test_a_person_resumes_at_the_first_page_not_answered(flow):
    answers = {"category": "plain", "given_name": "A", "family_name": "B"}

    assert engine.first_unanswered(flow, answers).id == "birth"


def test_a_date_is_read_from_day_month_and_year_and_checked(flow):
    birth = flow.page("birth")

    ok = engine.parse_page(
        flow,
        birth,
        {"date_of_birth-day": "28", "date_of_birth-month": "2", "date_of_birth-year": "1998"},
        {},
        today=TODAY,
    )
    not_real = engine.parse_page(
        flow,
        birth,
        {"date_of_birth-day": "30", "date_of_birth-month": "2", "date_of_birth-year": "1998"},
        {},
        today=TODAY,
    )
    no_month = engine.parse_page(
        flow, birth, {"date_of_birth-day": "3", "date_of_birth-year": "1998"}, {}, today=TODAY
    )
    future = engine.parse_page(
        flow,
        birth,
        {"date_of_birth-day": "3", "date_of_birth-month": "3", "date_of_birth-year": "2030"},
        {},
        today=TODAY,
    )

    assert ok.values == {"date_of_birth": "1998-02-28"}
    assert [error.code for error in not_real.errors] == ["date_real"]
    assert [error.code for error in no_month.errors] == ["date_missing_month"]
    assert [error.code for error in future.errors] == ["date_past"]
    assert future.errors[0].anchor == "date_of_birth-day"


def test_error_messages_say_what_to_do_in_english_and_french(flow):
    birth = flow.page("birth")
    result = engine.parse_page(flow, birth, {}, {}, today=TODAY)
    question = flow.question("date_of_birth")

    with translation.override("en"):
        english = error_message(flow, question, result.errors[0])
    with translation.override("fr"):
        french = error_message(flow, question, result.errors[0])

    assert english == "Enter an answer for “Date of birth”"
    assert "Date de naissance" in french
    assert french != english


def test_a_date_that_must_follow_another_answer_says_which(flow):
    stay = flow.page("stay")
    data = {
        "stay_until-day": "1",
        "stay_until-month": "1",
        "stay_until-year": "2027",
        "insurance_until-day": "1",
        "insurance_until-month": "1",
        "insurance_until-year": "1990",
    }

    result = engine.parse_page(flow, stay, data, {"date_of_birth": "1998-02-28"}, today=TODAY)

    assert [error.code for error in result.errors] == ["date_after"]
    with translation.override("en"):
        message = error_message(flow, flow.question("insurance_until"), result.errors[0])
    assert message == "“Insurance” must be after 28 February 1998 (“Date of birth”)"


def test_numbers_are_checked_against_their_bounds_and_keep_whole_numbers_whole(flow):
    money = flow.page("money")

    assert engine.parse_page(flow, money, {"funds": "2,500"}, {}, today=TODAY).values == {
        "funds": 2500
    }
    assert (
        engine.parse_page(flow, money, {"funds": "lots"}, {}, today=TODAY).errors[0].code
        == "number"
    )
    assert (
        engine.parse_page(flow, money, {"funds": "-1"}, {}, today=TODAY).errors[0].code == "minimum"
    )


def test_yes_no_answers_become_booleans(flow):
    travel = flow.page("travel")

    assert engine.parse_page(flow, travel, {"travelled": "yes"}, {}, today=TODAY).values == {
        "travelled": True
    }
    assert engine.parse_page(flow, travel, {"travelled": "no"}, {}, today=TODAY).values == {
        "travelled": False
    }
    missing = engine.parse_page(flow, travel, {}, {}, today=TODAY)
    assert missing.errors[0].code == "yes_no"
    assert missing.errors[0].anchor == "travelled-yes"


def test_periods_are_read_row_by_row_sorted_and_empty_rows_ignored(flow):
    trips = flow.page("trips")
    data = {
        **dates("absences-0-from", "2025-05-01"),
        **dates("absences-0-to", "2025-05-10"),
        **dates("absences-1-from", "2024-01-01"),
        **dates("absences-1-to", "2024-01-03"),
        "absences-2-from-day": "",
        "absences-2-to-day": "",
    }

    result = engine.parse_page(flow, trips, data, {"travelled": True}, today=TODAY)

    assert result.values == {
        "absences": [
            {"from": "2024-01-01", "to": "2024-01-03"},
            {"from": "2025-05-01", "to": "2025-05-10"},
        ]
    }


def test_a_period_that_ends_before_it_starts_is_explained_with_its_row(flow):
    trips = flow.page("trips")
    data = {**dates("absences-0-from", "2025-05-10"), **dates("absences-0-to", "2025-05-01")}

    result = engine.parse_page(flow, trips, data, {"travelled": True}, today=TODAY)

    with translation.override("en"):
        message = error_message(flow, flow.question("absences"), result.errors[0])
    assert message == "Period 1: the end must be on or after the start"
    assert result.errors[0].anchor == "absences-0-to-day"


def test_a_stored_answer_fills_the_inputs_it_came_from(flow):
    question = flow.question("absences")
    stored = [{"from": "2024-01-01", "to": "2024-01-03"}]

    inputs = engine.answer_inputs(question, stored)
    result = engine.parse_page(flow, flow.page("trips"), inputs, {"travelled": True}, today=TODAY)

    assert result.values == {"absences": stored}


def test_a_submission_gives_typed_fields_facts_and_the_facts_of_hidden_questions(flow):
    answers = {
        "category": "plain",
        "given_name": "Amélie",
        "family_name": "Poulain",
        "date_of_birth": "1998-02-28",
        "citizenship": "FR",
        "email": "a@example.com",
        "job_offer": True,  # hidden: the category is plain
        "travelled": False,
        "funds": 3000,
        "stay_until": "2027-01-01",
        "insurance_until": "2027-02-01",
    }

    built = engine.submission(flow, answers, submitted_on=TODAY)

    assert built.fields == {
        "category": "plain",
        "given_name": "Amélie",
        "family_name": "Poulain",
        "date_of_birth": datetime.date(1998, 2, 28),
        "citizenship": "FR",
        "email": "a@example.com",
    }
    assert built.answers == {
        "absences": [],
        "funds_cad": 3000,
        "stay_until": "2027-01-01",
        "insurance_until": "2027-02-01",
        "travelled": False,
        "examination_date": "2026-03-01",
    }


def test_the_check_answers_page_shows_dates_and_yes_no_in_the_readers_language(flow):
    with translation.override("fr"):
        assert display_answer(flow.question("date_of_birth"), "1998-02-28") == "28 février 1998"
        assert display_answer(flow.question("travelled"), True) == "Oui"
        assert display_answer(flow.question("citizenship"), "DE") == "Allemagne"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            FLOW.replace("type: yes-no, fact: job_offer", "type: maybe, fact: job_offer"),
            "type 'maybe' is not one of",
        ),
        (
            FLOW.replace(
                "show_if: {answer: category, equals: worker}", "show_if: {answer: funds, equals: 1}"
            ),
            "'funds' is not a question on an earlier page",
        ),
        (
            FLOW.replace(
                "show_if: {answer: category, equals: worker}",
                "show_if: {answer: category, equals: boss}",
            ),
            "'boss' is not an option of 'category'",
        ),
        (FLOW.replace("fact: stay_until", "fact: funds_cad"), "fact 'funds_cad' is given twice"),
        (FLOW.replace("min: 0, max", "minimum: 0, max"), "unknown key 'minimum'"),
        (FLOW.replace("field: email", "field: mail"), "field 'mail' is not one of"),
        (
            FLOW.replace("after: date_of_birth", "after: stay_until"),
            "after must name a date asked on an earlier page",
        ),
    ],
)
def test_a_mistake_in_a_flow_file_is_reported_with_its_line(tmp_path, text, message):
    path = write(tmp_path, text)

    with pytest.raises(FlowError) as raised:
        load_flow(path)

    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")
    line = int(str(raised.value).split(":")[1])
    assert line > 1


def test_a_flow_without_the_core_fields_is_refused(tmp_path):
    path = write(tmp_path, FLOW.replace("field: email, ", ""))

    with pytest.raises(FlowError, match="no question gives the application field 'email'"):
        load_flow(path)


def dates(prefix: str, iso: str) -> dict[str, str]:
    day = datetime.date.fromisoformat(iso)
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


# --- People: a list of persons, one row each -------------------------------------------

PEOPLE_FLOW = (
    """program: demo
pages:
"""
    + IDENTITY
    + """
  - id: has-children
    title: {en: "Children", fr: "Enfants"}
    questions:
      - {id: has_children, type: yes-no, label: {en: "Children", fr: "Enfants"}}
  - id: children
    show_if: {answer: has_children, equals: true}
    title: {en: "Your children", fr: "Vos enfants"}
    questions:
      - id: children
        type: people
        max_rows: 3
        label: {en: "Children", fr: "Enfants"}
        row: {en: "Child", fr: "Enfant"}
        add: {en: "Add another child", fr: "Ajouter un autre enfant"}
        relationship: {en: "Relationship", fr: "Lien"}
        options:
          - {value: biological, label: {en: "Biological child", fr: "Enfant biologique"}}
          - {value: adopted, label: {en: "Adopted child", fr: "Enfant adopté"}}
  - id: guests
    title: {en: "Guests", fr: "Invités"}
    questions:
      - {id: guests, type: people, required: false, max_rows: 2, label: {en: "Guests", fr: "Invités"}, row: {en: "Guest", fr: "Invité"}, add: {en: "Add a guest", fr: "Ajouter un invité"}}
  - id: language
    show_if: {age_of: date_of_birth, from: 18, to: 54}
    title: {en: "Language", fr: "Langue"}
    questions:
      - {id: language_clb, type: number, fact: language_clb, fact_if_hidden: null, label: {en: "Level", fr: "Niveau"}}
  - id: senior
    show_if: {age_of: date_of_birth, from: 65}
    title: {en: "Pension", fr: "Pension"}
    questions:
      - {id: pension, type: yes-no, label: {en: "Pension", fr: "Pension"}}
"""
)


@pytest.fixture
def people_flow(tmp_path: Path):
    path = tmp_path / "demo" / "questions.yaml"
    path.parent.mkdir()
    path.write_text(PEOPLE_FLOW, encoding="utf-8")
    return load_flow(path)


def person_inputs(index: int, given: str, family: str, born: str, relationship: str = "") -> dict:
    prefix = f"children-{index}"
    inputs = {f"{prefix}-given_name": given, f"{prefix}-family_name": family}
    inputs.update(dates(f"{prefix}-date_of_birth", born) if born else {})
    if relationship:
        inputs[f"{prefix}-relationship"] = relationship
    return inputs


def parse_children(flow, data):
    return engine.parse_page(flow, flow.page("children"), data, {"has_children": True}, today=TODAY)


def test_people_are_read_row_by_row_in_the_order_given_and_empty_rows_ignored(people_flow):
    data = {
        **person_inputs(0, "Léa", "Poulain", "2015-05-03", "biological"),
        **person_inputs(1, "", "", ""),
        **person_inputs(2, " Tom ", "Poulain", "2012-01-31", "adopted"),
    }

    result = parse_children(people_flow, data)

    assert result.valid
    assert result.values == {
        "children": [
            {
                "given_name": "Léa",
                "family_name": "Poulain",
                "date_of_birth": "2015-05-03",
                "relationship": "biological",
            },
            {
                "given_name": "Tom",
                "family_name": "Poulain",
                "date_of_birth": "2012-01-31",
                "relationship": "adopted",
            },
        ]
    }


def test_each_field_of_a_row_has_its_own_error_linked_to_that_field(people_flow):
    data = {
        **person_inputs(0, "Léa", "Poulain", "2015-05-03", "biological"),
        **person_inputs(1, "", "Poulain", "", "cousin"),
        "children-1-date_of_birth-day": "30",
        "children-1-date_of_birth-month": "2",
        "children-1-date_of_birth-year": "2015",
        **person_inputs(2, "Tom", "", "2027-01-01", "adopted"),
    }

    result = parse_children(people_flow, data)

    found = [(error.code, error.anchor) for error in result.errors]
    assert found == [
        ("person_given_name", "children-1-given_name"),
        ("person_date_real", "children-1-date_of_birth-day"),
        ("person_relationship", "children-1-relationship-biological"),
        ("person_family_name", "children-2-family_name"),
        ("person_date_past", "children-2-date_of_birth-day"),
    ]
    question = people_flow.question("children")
    with translation.override("en"):
        english = [error_message(people_flow, question, error) for error in result.errors]
    with translation.override("fr"):
        french = error_message(people_flow, question, result.errors[0])
    assert english == [
        "Child 2: enter their given names",
        "Child 2: the date of birth must be a real date, like 27 3 2015",
        "Child 2: select the relationship",
        "Child 3: enter their family name",
        "Child 3: the date of birth must be in the past",
    ]
    assert french.startswith("Enfant 2")
    assert result.raw["children-1-family_name"] == "Poulain"  # shown again as typed


def test_a_child_born_today_is_not_born_in_the_past(people_flow):
    data = person_inputs(0, "Léa", "Poulain", TODAY.isoformat(), "biological")

    assert [error.code for error in parse_children(people_flow, data).errors] == [
        "person_date_past"
    ]


def test_a_list_that_must_have_someone_says_so_and_an_optional_one_may_be_empty(people_flow):
    empty_children = parse_children(people_flow, {})
    empty_guests = engine.parse_page(people_flow, people_flow.page("guests"), {}, {}, today=TODAY)

    assert [error.code for error in empty_children.errors] == ["people_required"]
    assert empty_children.errors[0].anchor == "children-0-given_name"
    assert empty_guests.valid
    assert empty_guests.values == {"guests": []}


def test_a_list_takes_no_more_rows_than_its_maximum(people_flow):
    data = {}
    for index in range(4):
        data.update(person_inputs(index, "A", "B", "2015-05-03", "adopted"))

    result = parse_children(people_flow, data)

    assert [error.code for error in result.errors] == ["people_too_many"]
    with translation.override("en"):
        message = error_message(people_flow, people_flow.question("children"), result.errors[0])
    assert message == "“Children” takes 3 people at most"


def test_a_stored_list_fills_the_inputs_it_came_from(people_flow):
    question = people_flow.question("children")
    stored = [
        {
            "given_name": "Léa",
            "family_name": "Poulain",
            "date_of_birth": "2015-05-03",
            "relationship": "biological",
        }
    ]

    inputs = engine.answer_inputs(question, stored)

    assert inputs["children-0-date_of_birth-day"] == "3"
    assert parse_children(people_flow, inputs).values == {"children": stored}


def test_removing_a_row_moves_the_rows_after_it_up(people_flow):
    question = people_flow.question("children")
    data = {
        "version": "3",
        **person_inputs(0, "Léa", "Poulain", "2015-05-03", "biological"),
        **person_inputs(1, "Tom", "Poulain", "2012-01-31", "adopted"),
        **person_inputs(2, "Zoé", "Poulain", "2019-09-09", "adopted"),
    }

    left = engine.without_row(question, data, 1)

    assert left["version"] == "3"
    assert left["children-0-given_name"] == "Léa"
    assert left["children-1-given_name"] == "Zoé"
    assert left["children-1-date_of_birth-year"] == "2019"
    assert not any(key.startswith("children-2-") for key in left)


def test_check_your_answers_lists_each_person_in_the_readers_language(people_flow):
    question = people_flow.question("children")
    stored = [
        {
            "given_name": "Léa",
            "family_name": "Poulain",
            "date_of_birth": "2015-05-03",
            "relationship": "adopted",
        },
        {"given_name": "Tom", "family_name": "Poulain", "date_of_birth": "2012-01-31"},
    ]

    with translation.override("en"):
        english = display_answer(question, stored)
    with translation.override("fr"):
        french = display_answer(question, stored)

    assert english == (
        "Léa Poulain, born 3 May 2015 (Adopted child)\nTom Poulain, born 31 January 2012"
    )
    assert "3 mai 2015 (Enfant adopté)" in french.splitlines()[0]


# --- Conditions on the applicant's age on the day of the application -------------------


def born(years_before_today: int, days: int = 0) -> dict:
    day = TODAY.replace(year=TODAY.year - years_before_today) + datetime.timedelta(days=days)
    return {"date_of_birth": day.isoformat()}


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        (born(18), True),  # 18 today
        (born(18, days=1), False),  # 18 tomorrow
        (born(54), True),
        (born(55, days=1), True),  # 55 tomorrow: still 54 today
        (born(55), False),  # 55 today
        ({}, False),  # no date of birth yet: no age
    ],
)
def test_a_page_for_some_ages_is_shown_from_the_birthday_on_the_day_of_application(
    people_flow, answers, shown
):
    page = people_flow.page("language")

    assert engine.is_shown(people_flow, page, answers, on=TODAY) is shown


def test_a_bound_may_be_left_open(people_flow):
    senior = people_flow.page("senior")

    assert engine.is_shown(people_flow, senior, born(90), on=TODAY)
    assert not engine.is_shown(people_flow, senior, born(64), on=TODAY)


def test_someone_born_on_29_february_has_their_birthday_on_1_march_in_a_common_year(
    people_flow,
):
    leapling = {"date_of_birth": "2008-02-29"}
    page = people_flow.page("language")

    assert not engine.is_shown(people_flow, page, leapling, on=datetime.date(2026, 2, 28))
    assert engine.is_shown(people_flow, page, leapling, on=datetime.date(2026, 3, 1))


def test_an_age_condition_needs_the_day_it_is_judged_on(people_flow):
    with pytest.raises(ValueError, match="needs the day"):
        engine.visible_pages(people_flow, born(30))


def test_the_page_hidden_by_age_gives_its_fact_if_hidden_on_submission(people_flow):
    answers = {
        "given_name": "Ana",
        "family_name": "Lima",
        "citizenship": "BR",
        "email": "ana@example.com",
        "has_children": False,
        "guests": [],
        "language_clb": 7,  # answered when younger, hidden now
        **born(60),
    }

    built = engine.submission(people_flow, answers, submitted_on=TODAY)
    younger = engine.submission(people_flow, {**answers, **born(40)}, submitted_on=TODAY)

    assert built.answers["language_clb"] is None
    assert younger.answers["language_clb"] == 7
    assert "language" in page_ids(engine.incomplete_pages(people_flow, born(40), on=TODAY))
    assert "language" not in page_ids(engine.incomplete_pages(people_flow, born(60), on=TODAY))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PEOPLE_FLOW.replace(
                "{age_of: date_of_birth, from: 18", "{age_of: has_children, from: 18"
            ),
            "show_if.age_of must name a date asked on an earlier page",
        ),
        (
            PEOPLE_FLOW.replace("from: 18, to: 54", "from: 54, to: 18"),
            "'from' (54) is after 'to' (18)",
        ),
        (
            PEOPLE_FLOW.replace("from: 18, to: 54", "from: 18, until: 54"),
            "unknown key 'until'",
        ),
        (
            PEOPLE_FLOW.replace("from: 18, to: 54", "from: eighteen"),
            "show_if.from must be an age in whole years",
        ),
        (
            PEOPLE_FLOW.replace("{age_of: date_of_birth, from: 65}", "{age_of: date_of_birth}"),
            "needs 'from', 'to' or both",
        ),
        (PEOPLE_FLOW.replace("max_rows: 3", "max_rows: 0"), "max_rows must be a whole number"),
        (PEOPLE_FLOW.replace("        max_rows: 3\n", ""), "a people question needs 'max_rows'"),
        (
            PEOPLE_FLOW.replace('        row: {en: "Child", fr: "Enfant"}\n', ""),
            "a people question needs 'row'",
        ),
        (
            PEOPLE_FLOW.replace('        relationship: {en: "Relationship", fr: "Lien"}\n', ""),
            "relationship and options go together",
        ),
        (
            PEOPLE_FLOW.replace(
                "{id: has_children, type: yes-no,", "{id: has_children, type: yes-no, max_rows: 2,"
            ),
            "max_rows is for people",
        ),
    ],
)
def test_a_mistake_in_a_people_question_or_an_age_condition_is_reported_with_its_line(
    tmp_path, text, message
):
    path = write(tmp_path, text)

    with pytest.raises(FlowError) as raised:
        load_flow(path)

    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")
    assert int(str(raised.value).split(":")[1]) > 1
