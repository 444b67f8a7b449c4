"""What each person reads and acts on in the workbench: an officer reads the files of their
office in the programs they hold a skill in, and acts only on those routed to, given to or
taken by them; a supervisor reads and acts on the files of their office. A file out of
reach answers exactly as a missing one; giving a file outside an officer's reach is a
supervisor's exception, with its reason, in the file's history."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.intake.models import Document
from passage.workbench import selectors
from passage.workbench.services import claim_next_case
from tests.builders import create_program, iec_answers, same_page_parts
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case
from tests.workbench.test_views import action_form, case_url, signed_in, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def iec_file() -> Case:
    """An IEC file waiting in review: IEC names no office, so every office processes it."""
    return ready_case(answers=iec_answers())


def montreal_file() -> Case:
    """A file of a program only the Montreal office processes, waiting in review."""
    create_program("eta", name_en="eTA", processing_offices=["montreal"])
    return ready_case(answers=iec_answers(), program_code="eta")


def unskilled_file() -> Case:
    """A file of a program every office processes but the Ottawa officers hold no skill in."""
    create_program("visitor", name_en="Visitor visa")
    return ready_case(answers=iec_answers(), program_code="visitor")


def routed(case: Case, officer) -> Case:
    """The file as routing gives it to the officer."""
    return cases.assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={},
        idempotency_key=uuid.uuid4().hex,
    ).case


def action_url(case: Case, language: str, name: str) -> str:
    """The address an action form of the case page posts to, in the page's language."""
    with translation.override(language):
        return reverse(f"workbench:{name}", kwargs={"case_id": case.public_id})


def give_by_hand(case: Case, officer, supervisor) -> None:
    """A supervisor gives the file to the officer from the files page, with a reason."""
    response = signed_in(supervisor).post(
        "/en/workbench/supervision/files/",
        {
            "idempotency_key": uuid.uuid4().hex,
            "cases": [str(case.public_id)],
            "destination": str(officer.pk),
            "reason": "Second opinion on the visitor file.",
        },
    )
    assert response.status_code == 302


# --- Reading --------------------------------------------------------------------------------


def test_an_officer_reads_the_files_of_their_office_in_the_programs_they_hold_a_skill_in():
    officer = create_skilled_officer()  # Ottawa, IEC
    colleague = create_skilled_officer()  # Ottawa, IEC
    waiting, with_colleague = iec_file(), routed(iec_file(), colleague)
    elsewhere = montreal_file()
    with_montreal = routed(iec_file(), create_skilled_officer(office="montreal"))
    unskilled = unskilled_file()

    seen = set(selectors.files_in_reach(officer))

    assert {waiting, with_colleague} <= seen
    assert not {elsewhere, with_montreal, unskilled} & seen


def test_an_officer_reads_a_file_given_to_them_whatever_its_program():
    officer = create_skilled_officer()
    case = routed(unskilled_file(), officer)

    assert selectors.file_in_reach(person=officer, case_id=case.public_id) == case


def test_a_supervisor_reads_the_files_of_their_office_only():
    supervisor = create_supervisor("ottawa")
    waiting = iec_file()
    mine = routed(iec_file(), create_skilled_officer())
    elsewhere = montreal_file()
    with_montreal = routed(iec_file(), create_skilled_officer(office="montreal"))

    seen = set(selectors.files_in_reach(supervisor))

    assert {waiting, mine} <= seen
    assert not {elsewhere, with_montreal} & seen


def test_an_officer_without_an_office_reads_only_the_files_given_to_them():
    officer = create_skilled_officer()
    officer.office = None
    officer.save(update_fields=["office"])
    waiting, theirs = iec_file(), iec_file()
    routed(theirs, officer)

    assert list(selectors.files_in_reach(officer)) == [theirs]
    assert waiting not in selectors.files_in_reach(officer)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_another_offices_file_answers_exactly_like_a_missing_one(language):
    case = montreal_file()
    client = signed_in(create_skilled_officer())
    missing = uuid.uuid4()

    hidden = client.get(case_url(case, language))
    absent = client.get(case_url(case, language).replace(str(case.public_id), str(missing)))

    assert hidden.status_code == absent.status_code == 404
    assert same_page_parts(hidden.content.decode(), case.public_id) == same_page_parts(
        absent.content.decode(), missing
    )


def test_the_documents_of_a_file_out_of_reach_answer_like_missing_ones():
    case = montreal_file()
    document = Document.objects.filter(application=case.application).first()
    assert document is not None
    client = signed_in(create_skilled_officer())

    for suffix in ("", "file/", "download/"):
        hidden = client.get(case_url(case, action=f"documents/{document.pk}/{suffix}"))
        absent = client.get(case_url(case, action=f"documents/{document.pk + 10**6}/{suffix}"))
        assert hidden.status_code == absent.status_code == 404
    assert not case.document_accesses.exists()


def test_an_action_on_a_file_out_of_reach_is_not_found_and_writes_nothing():
    case = montreal_file()

    response = signed_in(create_skilled_officer()).post(
        case_url(case, action="notes/"), action_form(case, text="Seen.")
    )

    assert response.status_code == 404
    assert not case.events.filter(kind=EventKind.NOTE_ADDED).exists()


def test_the_next_file_is_never_one_of_a_program_another_office_processes():
    officer = create_skilled_officer(("program", "eta", 3), ("language", "fr", 3))
    montreal_file()

    assert claim_next_case(officer=officer, idempotency_key="next").case is None


# --- Acting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "This file is with another officer: only they can act on it."),
        ("fr", "Ce dossier est confié à un autre agent\u00a0: seule cette personne peut y agir."),
    ],
)
def test_another_officers_file_is_shown_without_its_actions_and_says_why(language, sentence):
    case = routed(iec_file(), create_skilled_officer())
    client = signed_in(create_skilled_officer())

    page = client.get(case_url(case, language))
    html = page.content.decode()

    assert page.status_code == 200
    assert sentence in html
    for action in ("eligibility", "step", "decision", "note", "request-documents"):
        assert f'action="{action_url(case, language, action)}"' not in html
    # A conflict of interest can still be declared on any file one reads.
    assert f'action="{action_url(case, language, "conflict")}"' in html


def test_an_officer_who_sends_an_action_on_another_officers_file_is_refused_with_the_reason():
    case = routed(iec_file(), create_skilled_officer())

    response = signed_in(create_skilled_officer()).post(
        case_url(case, action="notes/"), action_form(case, text="Seen.")
    )

    assert response.status_code == 403
    assert "only they can act on it" in text_of(response.content.decode())
    assert not case.events.filter(kind=EventKind.NOTE_ADDED).exists()


def test_the_officer_a_file_was_routed_to_sees_its_actions():
    officer = create_skilled_officer()
    case = routed(iec_file(), officer)

    html = signed_in(officer).get(case_url(case)).content.decode()

    assert 'id="cannot-act"' not in html
    assert f'action="{action_url(case, "en", "note")}"' in html


# --- The supervisor's exception ------------------------------------------------------------


def test_a_supervisor_gives_a_file_outside_an_officers_reach_as_a_logged_exception():
    officer = create_skilled_officer(first_name="Ana", last_name="Silva")
    supervisor = create_supervisor(first_name="Robert", last_name="Nadeau")
    case = unskilled_file()
    client = signed_in(officer)
    assert client.get(case_url(case)).status_code == 404

    give_by_hand(case, officer, supervisor)

    given = case.events.filter(kind=EventKind.ASSIGNED).latest("sequence")
    assert (given.actor, given.payload["officer"]) == (supervisor, officer.pk)
    assert given.payload["reason"] == "Second opinion on the visitor file."
    assert given.payload["outside_reach"] is True
    page = text_of(client.get(case_url(case)).content.decode())
    assert "Assigned to Ana Silva by Robert Nadeau: Second opinion on the visitor file." in page
    assert "An exception: the file was outside the offices and programs this officer reads." in page
    response = client.post(case_url(case, action="notes/"), action_form(case, text="Checked."))
    assert response.status_code == 302
    assert case.events.filter(kind=EventKind.NOTE_ADDED, actor=officer).exists()


def test_a_file_given_within_the_officers_reach_is_no_exception():
    officer = create_skilled_officer()
    case = iec_file()

    give_by_hand(case, officer, create_supervisor())

    given = case.events.filter(kind=EventKind.ASSIGNED).latest("sequence")
    assert given.payload["manual"] is True
    assert "outside_reach" not in given.payload
