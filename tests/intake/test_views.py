"""The applicant portal through Django's test client: pages in English and French, errors
shown where they are, back and change links, resume after the session ends, a double
submit, and someone else's draft."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.services import grant_access
from passage.cases.status import EventKind, PartyRole
from passage.intake.catalogue import document_checklist, load_programs
from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.intake.models import Draft, Program
from passage.outbox.models import OutboxMessage
from passage.rules.dates import years_before
from passage.triage.services import triage_case
from tests.builders import MINIMAL_PDF, create_user, submit_case
from tests.intake.flows.answers import ANSWERS, answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    load_programs()


@pytest.fixture
def person():
    return create_user(username="amelie", password="correct horse battery staple")


@pytest.fixture
def client(person):
    client = Client()
    client.force_login(person)
    return client


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"intake:{name}", kwargs=kwargs)


def start(client, program="iec", language="en"):
    response = client.post(url("start", language, program=program))
    assert response.status_code == 302
    return Draft.objects.latest("created_at"), response["Location"]


def required_documents(draft):
    """A PDF for each document the draft's program requires, as the documents form sends."""
    return {
        f"document-{item.kind}": SimpleUploadedFile(f"{item.kind}.pdf", MINIMAL_PDF)
        for item in document_checklist(draft.program.code)
        if item.required
    } | {"action": "continue"}


def form_data(program, page, answers, version):
    data = {"version": str(version), "action": "continue"}
    for question in page.questions:
        if question.id in answers:
            data.update(engine.answer_inputs(question, answers[question.id]))
    return data


def fill_in(client, draft, answers, language="en"):
    """Answer every page shown, upload the required documents, as a person would, and
    land on check your answers."""
    flow = flow_for(draft.program.code)
    location = url("page", language, draft_id=draft.public_id, page_id=flow.pages[0].id)
    documents = url("documents", language, draft_id=draft.public_id)
    for _ in range(len(flow.pages) + 2):
        if "check" in location or "verifier" in location:
            return location
        if location == documents:
            response = client.post(location, required_documents(draft))
            assert response.status_code == 302, response.content.decode()[:2000]
            location = response["Location"]
            continue
        page_id = location.rstrip("/").split("/")[-1]
        draft.refresh_from_db()
        data = form_data(draft.program.code, flow.page(page_id), answers, draft.version)
        response = client.post(location, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        location = response["Location"]
    raise AssertionError("the flow did not end")


def test_signing_in_is_needed_to_apply():
    response = Client().get(url("programs"))

    assert response.status_code == 302
    assert "/en/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("language", "iec", "closed"),
    [
        ("en", "International Experience Canada", "Software Development Worker Pilot"),
        ("fr", "Expérience internationale Canada", "Projet pilote sur les travailleurs"),
    ],
)
def test_the_programs_open_for_applications_are_listed(client, language, iec, closed):
    response = client.get(url("programs", language))

    text = response.content.decode()
    assert response.status_code == 200
    assert iec in text
    assert closed not in text  # the pilot takes no new applications


def test_a_page_shows_its_question_the_back_link_and_both_buttons(client):
    _draft, location = start(client)

    response = client.get(location)

    text = response.content.decode()
    assert "Which category are you applying to?" in text
    assert 'class="gc-back-link"' in text
    assert "Save and continue" in text
    assert "Save and come back later" in text


def test_a_page_in_french_shows_the_french_question(client):
    _draft, location = start(client, language="fr")

    response = client.get(location)

    assert "À quelle catégorie présentez-vous une demande\u00a0?" in response.content.decode()
    assert location.startswith("/fr/")


def test_a_mistake_is_explained_at_the_top_and_next_to_the_field(client):
    draft, _location = start(client)
    fill_in_until(client, draft, "date-of-birth")
    page = url("page", draft_id=draft.public_id, page_id="date-of-birth")

    response = client.post(
        page,
        {
            "version": draft.version,
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "1998",
            "action": "continue",
        },
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "There was a problem" in text
    assert '<a href="#date_of_birth-day">“Date of birth” must be a real date' in text
    assert 'id="date_of_birth-error"' in text
    assert 'value="31"' in text  # what was typed is shown again
    assert "<title>Error:" in text


def test_a_mistake_in_french_is_explained_in_french(client):
    draft, location = start(client, language="fr")

    response = client.post(location, {"version": draft.version, "action": "continue"})

    text = response.content.decode()
    assert "Un problème est survenu" in text
    assert "«\u00a0Catégorie\u00a0»" in text or "“Catégorie”" in text


def test_the_back_link_goes_to_the_previous_page(client):
    draft, _ = start(client)
    fill_in_until(client, draft, "date-of-birth")

    response = client.get(url("page", draft_id=draft.public_id, page_id="date-of-birth"))

    back = url("page", draft_id=draft.public_id, page_id="name")
    assert f'href="{back}" class="gc-back-link"' in response.content.decode()


def test_a_page_not_shown_for_the_answers_is_not_found(client):
    draft, _ = start(client)
    fill_in_until(client, draft, "name")  # working holiday: no job offer page

    response = client.get(url("page", draft_id=draft.public_id, page_id="job-offer"))

    assert response.status_code == 404


def test_save_and_come_back_later_keeps_the_answers_and_lists_the_draft(client):
    draft, location = start(client)

    response = client.post(
        location, {"version": 1, "category": "young-professionals", "action": "later"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("my-applications")
    listing = client.get(response["Location"]).content.decode()
    assert "Not submitted yet" in listing
    assert "Your answers are saved" in listing
    resume = client.get(url("resume", draft_id=draft.public_id))
    assert resume["Location"] == url("page", draft_id=draft.public_id, page_id="category")


def test_an_expired_session_keeps_the_answers_and_the_person_resumes_after_signing_in(
    client, person
):
    draft, _ = start(client)
    fill_in_until(client, draft, "contact")
    client.logout()  # the session ends mid-form

    page = url("page", draft_id=draft.public_id, page_id="contact")
    response = client.get(page)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]

    signed_in = Client()
    signed_in.post(
        response["Location"],
        {"username": "amelie", "password": "correct horse battery staple"},
    )
    resumed = signed_in.get(url("resume", draft_id=draft.public_id))
    assert resumed["Location"] == page
    assert (
        'value="Amélie"'
        in signed_in.get(url("page", draft_id=draft.public_id, page_id="name")).content.decode()
    )


def test_check_your_answers_lists_every_answer_with_a_change_link(client):
    draft, _ = start(client)
    check = fill_in(client, draft, ANSWERS["iec"])

    text = client.get(check).content.decode()

    assert "Check your answers before you submit" in text
    assert "28 February 1998" in text
    assert "France" in text
    change = url("page", draft_id=draft.public_id, page_id="funds") + "?change=1"
    assert f'href="{change}"' in text


def test_a_change_from_check_answers_comes_back_to_check_answers(client):
    draft, _ = start(client)
    check = fill_in(client, draft, ANSWERS["iec"])
    draft.refresh_from_db()
    change = url("page", draft_id=draft.public_id, page_id="funds") + "?change=1"

    back = client.get(change).content.decode()
    response = client.post(
        change, {"version": draft.version, "funds_cad": "4000", "action": "continue"}
    )

    assert f'href="{check}" class="gc-back-link"' in back
    assert response["Location"] == check
    draft.refresh_from_db()
    assert draft.answers["funds_cad"] == 4000


def test_a_change_that_opens_a_new_page_asks_it_before_check_answers(client):
    draft, _ = start(client)
    fill_in(client, draft, ANSWERS["iec"])
    draft.refresh_from_db()
    change = url("page", draft_id=draft.public_id, page_id="category") + "?change=1"

    response = client.post(
        change, {"version": draft.version, "category": "young-professionals", "action": "continue"}
    )

    assert response["Location"] == url("page", draft_id=draft.public_id, page_id="job-offer")


def test_submitting_without_the_declaration_is_explained(client):
    draft, _ = start(client)
    check = fill_in(client, draft, ANSWERS["iec"])

    response = client.post(check, {})

    assert response.status_code == 400
    assert "Confirm the declaration to submit your application" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_submitting_twice_gives_one_case_and_the_confirmation_with_its_reference(client, language):
    draft, _ = start(client, language=language)
    check = fill_in(client, draft, ANSWERS["iec"], language=language)

    first = client.post(check, {"declaration": "yes"})
    again = client.post(check, {"declaration": "yes"})  # the back button, then submit

    assert (
        first["Location"]
        == again["Location"]
        == url("confirmation", language, draft_id=draft.public_id)
    )
    case = Case.objects.get()
    page = client.get(first["Location"]).content.decode()
    assert case.reference in page
    with translation.override(language):
        assert f'href="{reverse("tracker:case", kwargs={"case_id": case.public_id})}"' in page
    assert OutboxMessage.objects.filter(kind="application.received").count() == 1


def test_going_back_to_a_page_after_submitting_shows_the_confirmation(client):
    draft, _ = start(client)
    check = fill_in(client, draft, ANSWERS["iec"])
    client.post(check, {"declaration": "yes"})

    response = client.get(url("page", draft_id=draft.public_id, page_id="funds"))

    assert response["Location"] == url("confirmation", draft_id=draft.public_id)


def test_a_submitted_application_is_triaged_with_the_facts_from_the_answers(client):
    draft, _ = start(client, program="pr-card")
    check = fill_in(client, draft, ANSWERS["pr-card"])
    client.post(check, {"declaration": "yes"})
    case = Case.objects.get()

    triaged = triage_case(case_id=case.public_id)

    assessment = triaged.events.filter(kind=EventKind.TRIAGE_ASSESSED).get().payload
    assert assessment["outcome"] == "eligible_auto"
    answers = case.application.answers.get().answers
    assert answers["absences"] == ANSWERS["pr-card"]["absences"]
    assert answers["examination_date"] == case.application.submitted_at.date().isoformat()


def test_someone_elses_draft_is_not_found(client):
    other = Client()
    other.force_login(create_user())
    draft, location = start(client)

    assert other.get(location).status_code == 404
    assert other.get(url("check", draft_id=draft.public_id)).status_code == 404
    assert other.get(url("resume", draft_id=draft.public_id)).status_code == 404
    assert other.post(url("delete", draft_id=draft.public_id)).status_code == 404


def test_a_draft_can_be_deleted_from_my_applications(client):
    draft, _ = start(client)

    response = client.post(url("delete", draft_id=draft.public_id))

    assert response["Location"] == url("my-applications")
    assert not Draft.objects.exists()


def test_trips_abroad_are_added_one_row_at_a_time(client):
    draft, _ = start(client, program="pr-card")
    answers = answers_for("pr-card")
    fill_in_until(client, draft, "absences", answers)
    page = url("page", draft_id=draft.public_id, page_id="absences")
    draft.refresh_from_db()
    one = engine.answer_inputs(flow_for("pr-card").question("absences"), answers["absences"][:1])

    response = client.post(page, {**one, "version": draft.version, "action": "add"})

    assert response["Location"].startswith(page)
    text = client.get(page).content.decode()
    assert re.search(r'id="absences-1-from-day"[^>]*value=""', text)
    assert "Period 2" in text


def fill_in_until(client, draft, page_id, answers=None):
    """Answer the pages before `page_id`."""
    flow = flow_for(draft.program.code)
    answers = answers or ANSWERS[draft.program.code]
    location = url("page", draft_id=draft.public_id, page_id=flow.pages[0].id)
    while location.rstrip("/").split("/")[-1] != page_id:
        current = location.rstrip("/").split("/")[-1]
        draft.refresh_from_db()
        response = client.post(
            location, form_data(draft.program.code, flow.page(current), answers, draft.version)
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        location = response["Location"]


def test_a_page_saved_from_an_older_window_is_not_saved_and_the_person_is_told(client):
    draft, location = start(client)
    client.post(location, {"version": 1, "category": "working-holiday", "action": "continue"})

    response = client.post(
        location, {"version": 1, "category": "international-coop", "action": "continue"}
    )

    assert response["Location"] == location
    assert "changed in another window" in client.get(location).content.decode()
    draft.refresh_from_db()
    assert draft.answers["category"] == "working-holiday"


def test_a_program_closed_after_the_draft_was_started_is_explained_on_submit(client):
    draft, _ = start(client)
    check = fill_in(client, draft, ANSWERS["iec"])
    Program.objects.filter(code="iec").update(is_open=False)

    response = client.post(check, {"declaration": "yes"})

    assert response.status_code == 400
    assert "There is no open program with this code." in response.content.decode()
    assert not Case.objects.exists()


def test_my_applications_lists_every_case_the_person_is_part_of_whatever_the_channel(
    client, person
):
    mine = submit_case(submitter=person)
    sponsored = submit_case()
    grant_access(
        case_id=sponsored.public_id,
        actor=sponsored.application.applicant,
        person=person,
        role=PartyRole.SPONSOR,
        idempotency_key="grant",
    )
    someone_elses = submit_case(submitter=create_user(Role.APPLICANT))

    text = client.get(url("my-applications")).content.decode()

    assert mine.reference in text
    assert sponsored.reference in text
    assert "Sponsor" in text
    assert someone_elses.reference not in text


CHILD_LEA = {
    "given_name": "Léa",
    "family_name": "Quincampoix",
    "date_of_birth": "2015-05-03",
    "relationship": "biological",
}
CHILD_TOM = {
    "given_name": "Tom",
    "family_name": "Quincampoix",
    "date_of_birth": "2019-10-21",
    "relationship": "adopted",
}


def children_page(client):
    """A family sponsorship draft at its list of dependent children."""
    draft, _ = start(client, program="family-sponsor")
    answers = answers_for("family-sponsor", has_dependent_children=True)
    fill_in_until(client, draft, "children", answers)
    draft.refresh_from_db()
    return draft, url("page", draft_id=draft.public_id, page_id="children")


def children_inputs(children):
    question = flow_for("family-sponsor").question("dependent_children")
    return engine.answer_inputs(question, children)


def test_the_children_page_comes_only_after_saying_children_come_along(client):
    draft, _ = start(client, program="family-sponsor")
    fill_in_until(client, draft, "dependent-children", answers_for("family-sponsor"))
    draft.refresh_from_db()
    question_page = url("page", draft_id=draft.public_id, page_id="dependent-children")

    no = client.post(
        question_page,
        {"version": draft.version, "has_dependent_children": "no", "action": "continue"},
    )

    assert "children" not in no["Location"].rstrip("/").split("/")[-1]
    assert client.get(url("page", draft_id=draft.public_id, page_id="children")).status_code == 404


def test_children_are_added_one_row_at_a_time_without_javascript(client):
    draft, page = children_page(client)

    first = client.get(page).content.decode()
    response = client.post(
        page, {**children_inputs([CHILD_LEA]), "version": draft.version, "action": "add"}
    )

    assert 'id="dependent_children-0-given_name"' in first
    assert 'id="dependent_children-1-given_name"' not in first
    assert response["Location"] == f"{page}?add=1#dependent_children-1-given_name"
    text = client.get(response["Location"]).content.decode()
    assert re.search(r'id="dependent_children-0-given_name"[^>]*value="Léa"', text)
    assert re.search(r'id="dependent_children-1-given_name"[^>]*value=""', text)
    assert "Child 2" in text
    assert "Add another child" in text
    draft.refresh_from_db()
    assert draft.answers["dependent_children"] == [CHILD_LEA]


def test_a_child_is_taken_off_the_list_with_its_remove_button(client):
    draft, page = children_page(client)
    both = children_inputs([CHILD_LEA, CHILD_TOM])

    response = client.post(
        page, {**both, "version": draft.version, "action": "remove-dependent_children-0"}
    )

    assert response["Location"] == f"{page}#dependent_children"
    draft.refresh_from_db()
    assert draft.answers["dependent_children"] == [CHILD_TOM]
    text = client.get(page).content.decode()
    assert "Léa Quincampoix was removed from the list." in text
    assert re.search(r'id="dependent_children-0-given_name"[^>]*value="Tom"', text)
    assert 'value="remove-dependent_children-0"' in text


def test_removing_the_only_child_leaves_an_empty_row_and_asks_for_one_to_continue(client):
    draft, page = children_page(client)
    client.post(page, {**children_inputs([CHILD_LEA]), "version": draft.version, "action": "add"})
    draft.refresh_from_db()

    removed = client.post(
        page,
        {
            **children_inputs([CHILD_LEA]),
            "version": draft.version,
            "action": "remove-dependent_children-0",
        },
    )
    draft.refresh_from_db()
    empty = client.get(page).content.decode()
    stuck = client.post(page, {"version": draft.version, "action": "continue"})

    assert removed.status_code == 302
    assert draft.answers["dependent_children"] == []
    assert re.search(r'id="dependent_children-0-given_name"[^>]*value=""', empty)
    assert stuck.status_code == 400
    assert "Enter the details of at least one person for “Dependent children”" in (
        stuck.content.decode()
    )


def test_each_mistake_in_a_childs_row_is_shown_next_to_its_field_and_in_the_summary(client):
    draft, page = children_page(client)
    data = {
        **children_inputs([CHILD_LEA]),
        "dependent_children-1-family_name": "Quincampoix",
        "dependent_children-1-date_of_birth-day": "31",
        "dependent_children-1-date_of_birth-month": "2",
        "dependent_children-1-date_of_birth-year": "2018",
        "version": draft.version,
        "action": "continue",
    }

    response = client.post(page, data)

    text = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#dependent_children-1-given_name">Child 2: enter their given names</a>' in text
    assert (
        '<a href="#dependent_children-1-date_of_birth-day">Child 2: the date of birth must be a '
        "real date, like 27 3 2015</a>" in text
    )
    assert (
        '<a href="#dependent_children-1-relationship-biological">Child 2: select the relationship'
        in text
    )
    assert 'id="dependent_children-1-given_name-error"' in text
    assert re.search(
        r'id="dependent_children-1-given_name"[^>]*aria-describedby="dependent_children-1-given_name-error"',
        text,
    )
    assert 'id="dependent_children-1-date_of_birth-error"' in text
    assert 'id="dependent_children-0-given_name-error"' not in text  # the first child is fine
    assert re.search(r'id="dependent_children-1-date_of_birth-day"[^>]*value="31"', text)
    draft.refresh_from_db()
    assert "dependent_children" not in draft.answers


def test_the_list_of_children_stops_offering_to_add_at_its_maximum(client):
    most = flow_for("family-sponsor").question("dependent_children").max_rows
    draft, page = children_page(client)
    full = children_inputs([CHILD_LEA] * most)
    client.post(page, {**full, "version": draft.version, "action": "add"})

    text = client.get(f"{page}?add=1").content.decode()

    assert f'id="dependent_children-{most - 1}-given_name"' in text
    assert f'id="dependent_children-{most}-given_name"' not in text
    assert 'value="add"' not in text
    assert f"This list takes at most {most} entries." in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_check_your_answers_lists_the_children(client, language):
    draft, _ = start(client, program="family-sponsor", language=language)
    answers = answers_for(
        "family-sponsor", has_dependent_children=True, dependent_children=[CHILD_LEA, CHILD_TOM]
    )

    check = fill_in(client, draft, answers, language=language)

    text = client.get(check).content.decode()
    assert "Léa Quincampoix" in text
    assert "Tom Quincampoix" in text
    relationship = "Their adopted child" if language == "en" else "Son enfant adopté"
    assert relationship in text


def citizenship_answers_born(years: int, days: int = 0):
    today = clock.now().date()
    born = years_before(today, years) + datetime.timedelta(days=days)
    answers = answers_for("citizenship", date_of_birth=born.isoformat())
    del answers["language_clb"], answers["knowledge_test_passed"]
    return answers


def test_an_applicant_who_turns_55_today_is_not_asked_about_language_or_the_test(client):
    draft, _ = start(client, program="citizenship")

    check = fill_in(client, draft, citizenship_answers_born(55))

    text = client.get(check).content.decode()
    assert "Canadian Language Benchmark" not in text
    assert "Citizenship test passed" not in text
    language_page = url("page", draft_id=draft.public_id, page_id="language-level")
    assert client.get(language_page).status_code == 404
    client.post(check, {"declaration": "yes"})
    answers = Case.objects.get().application.answers.get().answers
    assert answers["language_clb"] is None
    assert answers["knowledge_test_passed"] is None


def test_an_applicant_who_turns_18_today_is_asked_about_language(client):
    draft, _ = start(client, program="citizenship")
    fill_in_until(client, draft, "language-level", citizenship_answers_born(18))
    page = url("page", draft_id=draft.public_id, page_id="language-level")
    draft.refresh_from_db()

    response = client.post(page, {"version": draft.version, "action": "continue"})

    assert response.status_code == 400
    assert "Canadian Language Benchmark" in response.content.decode()


def test_pressing_enter_on_the_children_page_continues_rather_than_removing_a_child(client):
    draft, page = children_page(client)

    text = client.get(page).content.decode()
    form = text[text.index('class="gc-form"') :]
    response = client.post(
        page, {**children_inputs([CHILD_LEA]), "version": draft.version, "action": "enter"}
    )

    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'value="enter"' in first_button  # the button Enter in a text box presses
    assert 'tabindex="-1"' in first_button
    assert response.status_code == 302
    assert "children" not in response["Location"].rstrip("/").split("/")[-1]
    draft.refresh_from_db()
    assert draft.answers["dependent_children"] == [CHILD_LEA]
