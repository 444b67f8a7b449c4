"""The workbench's search: what a typed text looks for, and the files it finds, only ever
within the reach of the person searching."""

from datetime import UTC, date, datetime, timedelta

import pytest

from passage.workbench import selectors
from passage.workbench.search import fold_text, parse_search
from tests.builders import iec_answers
from tests.workbench.builders import (
    claimed_case,
    create_skilled_officer,
    create_supervisor,
    ready_case,
)

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


# --- What a text looks for -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2004-09-22", "22/09/2004", "22 9 2004", "22.9.2004", " 22 / 09 / 2004 "]
)
def test_a_date_of_birth_is_read_in_the_formats_people_type(text):
    assert parse_search(text).date_of_birth == date(2004, 9, 22)


def test_an_impossible_date_is_not_a_date_of_birth():
    assert parse_search("31/02/2004").date_of_birth is None


def test_a_whole_reference_is_read_whatever_its_case_spaces_and_dashes():
    case_reference = "P" + "12345678901234"
    from passage.cases.reference import damm_check_digit

    reference = case_reference + str(damm_check_digit(case_reference[1:]))
    typed = f"{reference[:6].lower()} {reference[6:11]}-{reference[11:]}"

    assert parse_search(typed).reference == reference


def test_digits_are_the_last_digits_of_a_reference_when_there_are_at_least_four():
    assert parse_search("4821").last_digits == "4821"
    assert parse_search("48").too_short


def test_words_are_read_without_case_or_accents():
    assert parse_search("  Amélie   POULAIN ").words == ["amelie", "poulain"]
    assert fold_text("Œuvre ÇÀ Ÿ") == "oeuvre ca y"


# --- The files it finds --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_finds_a_file_by_its_reference_or_its_last_digits():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW - DAY)

    by_reference = selectors.search_files(person=officer, query=parse_search(case.reference))
    by_digits = selectors.search_files(person=officer, query=parse_search(case.reference[-6:]))

    assert by_reference == [case]
    assert by_digits == [case]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["amelie", "AMÉLIE", "poulain", "Poul", "amélie poulain"])
def test_an_officer_finds_a_file_by_the_applicants_name_without_regard_to_case_or_accents(text):
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW - DAY)

    assert selectors.search_files(person=officer, query=parse_search(text)) == [case]


@pytest.mark.django_db
def test_an_accented_name_is_found_by_a_search_typed_without_accents_and_the_other_way():
    officer = create_skilled_officer()
    noel = ready_case(answers=iec_answers(), given_name="Noël", family_name="Lefèvre-Côté")
    plain = ready_case(answers=iec_answers(), given_name="Joel", family_name="Lefevre")

    found = selectors.search_files(person=officer, query=parse_search("lefevre"))
    accented = selectors.search_files(person=officer, query=parse_search("JOËL"))

    assert set(found) == {noel, plain}
    assert accented == [plain]
    assert selectors.search_files(person=officer, query=parse_search("côte")) == [noel]


@pytest.mark.django_db
def test_every_word_of_a_name_must_match():
    officer = create_skilled_officer()
    claimed_case(officer, received=NOW - DAY)

    assert selectors.search_files(person=officer, query=parse_search("amelie dupont")) == []


@pytest.mark.django_db
def test_an_officer_finds_files_by_the_applicants_date_of_birth():
    officer = create_skilled_officer()
    born = ready_case(answers=iec_answers(), date_of_birth=date(2004, 9, 22))
    ready_case(answers=iec_answers(), date_of_birth=date(2004, 9, 23))

    for text in ("2004-09-22", "22/09/2004", "22 9 2004"):
        assert selectors.search_files(person=officer, query=parse_search(text)) == [born]


@pytest.mark.django_db
def test_a_file_out_of_reach_is_never_found_by_any_key():
    officer = create_skilled_officer()
    elsewhere = claimed_case(
        create_skilled_officer(office="montreal"),
        received=NOW - DAY,
    )
    application = elsewhere.application

    for text in (
        elsewhere.reference,
        elsewhere.reference[-5:],
        application.given_name,
        application.family_name,
        application.date_of_birth.isoformat(),
    ):
        assert selectors.search_files(person=officer, query=parse_search(text)) == []
    # Its own officer finds it, so the search itself is not what hides it.
    assert selectors.search_files(
        person=elsewhere.assigned_to, query=parse_search(elsewhere.reference)
    ) == [elsewhere]


@pytest.mark.django_db
def test_a_supervisor_finds_the_files_of_their_office_only():
    mine = claimed_case(create_skilled_officer(), received=NOW - 2 * DAY)
    theirs = claimed_case(create_skilled_officer(office="montreal"), received=NOW - DAY)

    found = selectors.search_files(person=create_supervisor(), query=parse_search("poulain"))

    assert mine in found
    assert theirs not in found


@pytest.mark.django_db
def test_a_client_finds_nothing_even_their_own_file():
    case = ready_case(answers=iec_answers())
    client = case.application.applicant

    assert selectors.search_files(person=client, query=parse_search(case.reference)) == []
