"""After submitting, the client who applied, and their representatives, read every
question and answer of the application again, read-only, in the page's language; anyone
else is told there is no such page."""

from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.intake import drafts, representation
from passage.intake.catalogue import load_programs
from passage.intake.selectors import SubmittedApplicationNotFound, submitted_record
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_officer, create_user
from tests.intake.builders import fill_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs() -> None:
    load_programs()


def submitted(person: User, program: str = "citizenship", **start: object) -> Case:
    draft = drafts.start_draft(person=person, program_code=program, **start)  # type: ignore[arg-type]
    fill_draft(person, draft, program)
    return drafts.submit_draft(person=person, draft_id=draft.public_id).case


def answers_page(person: User, case: Case, language: str = "en") -> tuple[int, str]:
    client = Client()
    client.force_login(person)
    with translation.override(language):
        path = reverse("intake:submitted-answers", kwargs={"case_id": case.public_id})
    page = client.get(path)
    return page.status_code, page.content.decode()


def test_the_applicant_reads_every_question_they_were_asked_with_their_answer() -> None:
    applicant = create_user(Role.APPLICANT)
    case = submitted(applicant)

    status, html = answers_page(applicant, case)

    assert status == 200
    assert "Submitted answers" in html
    assert case.reference in html
    for shown in (
        "Given names</dt>",
        "Amélie",
        "12 April 1990",
        "France",
        "10 May 2019",
        "1 September 2017 to 9 May 2019",
        "Trips outside Canada in the last five years</dt>",
        "2021, 2022, 2023, 2024, 2025",
    ):
        assert shown in html, shown
    # Not asked, since they did not travel: not shown, though its fact was recorded.
    assert "Trips outside Canada</dt>" not in html
    assert "Change" not in html


def test_the_answers_read_in_french_on_the_french_page() -> None:
    applicant = create_user(Role.APPLICANT)
    case = submitted(applicant)

    status, html = answers_page(applicant, case, "fr")

    assert status == 200
    assert "Prénoms</dt>" in html
    assert "12 avril 1990" in html
    assert "1er septembre 2017" in html
    assert "Voyages à l\u2019extérieur du Canada au cours des cinq dernières années" in html


def test_a_representative_with_access_reads_them_and_loses_them_when_revoked() -> None:
    client_person = create_user(Role.APPLICANT)
    counsel = create_user(Role.REPRESENTATIVE, email="counsel@example.com")
    authorised = representation.authorise_representative(
        client=client_person, email="counsel@example.com"
    )
    case = submitted(counsel, representation_id=authorised.pk)

    assert answers_page(counsel, case)[0] == 200
    assert answers_page(client_person, case)[0] == 200

    representation.revoke_representation(client=client_person, representation_id=authorised.pk)

    assert answers_page(counsel, case)[0] == 404


def test_someone_with_no_part_in_the_application_gets_no_such_page() -> None:
    case = submitted(create_user(Role.APPLICANT))
    stranger = create_user(Role.APPLICANT)

    assert answers_page(stranger, case)[0] == 404
    with pytest.raises(SubmittedApplicationNotFound):
        submitted_record(person=stranger, case_id=case.public_id)
    with pytest.raises(SubmittedApplicationNotFound):
        submitted_record(person=stranger, case_id=uuid4())


def test_staff_read_the_answers_on_their_own_pages_not_on_the_clients() -> None:
    case = submitted(create_user(Role.APPLICANT))
    officer = create_officer()
    client = signed_in_with_mfa(officer)

    page = client.get(reverse("intake:submitted-answers", kwargs={"case_id": case.public_id}))

    assert page.status_code in (403, 404)


def test_a_sponsor_reads_the_sponsorship_they_submitted() -> None:
    sponsor = create_user(Role.SPONSOR)
    case = submitted(sponsor, "family-sponsor")

    status, html = answers_page(sponsor, case)

    assert status == 200
    assert "Submitted answers" in html


def test_the_confirmation_and_the_tracker_link_to_the_answers() -> None:
    applicant = create_user(Role.APPLICANT)
    draft = drafts.start_draft(person=applicant, program_code="iec")
    fill_draft(applicant, draft)
    case = drafts.submit_draft(person=applicant, draft_id=draft.public_id).case
    client = Client()
    client.force_login(applicant)
    link = reverse("intake:submitted-answers", kwargs={"case_id": case.public_id})

    confirmation = client.get(reverse("intake:confirmation", kwargs={"draft_id": draft.public_id}))
    tracker = client.get(reverse("tracker:case", kwargs={"case_id": case.public_id}))

    assert f'href="{link}"' in confirmation.content.decode()
    assert f'href="{link}"' in tracker.content.decode()
    assert "Read the submitted answers" in tracker.content.decode()
