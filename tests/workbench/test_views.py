"""The workbench pages through Django's test client: who may open them, what they show
in English and French, and what each action does, once, against the version shown."""

import re
import uuid
import zoneinfo
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus, EventKind, Step, StepState
from passage.workbench.models import Leave
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_office, create_user, iec_answers
from tests.letters.builders import with_letter_read
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def triaged_case(**answers) -> Case:
    """An IEC file triaged and waiting in review; failing funds make it tier 3."""
    return ready_case(answers=iec_answers(**answers))


def taken_case(officer: User, **answers) -> Case:
    case = triaged_case(**answers)
    client = signed_in(officer)
    client.post("/en/workbench/next/", {"idempotency_key": uuid.uuid4().hex})
    case.refresh_from_db()
    assert case.assigned_to == officer
    return case


def case_url(case: Case, language: str = "en", action: str = "") -> str:
    files = "dossiers" if language == "fr" else "files"
    workbench = "espace-de-travail" if language == "fr" else "workbench"
    return f"/{language}/{workbench}/{files}/{case.public_id}/{action}"


def signed_in(person: User) -> Client:
    """A client signed in as the person; staff also passed the second factor, as they must."""
    if not person.must_use_mfa:
        client = Client()
        client.force_login(person)
        return client
    return signed_in_with_mfa(person)


def action_form(case: Case, **fields) -> dict[str, object]:
    return {"idempotency_key": uuid.uuid4().hex, "expected_version": case.version, **fields}


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces collapsed, to assert what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Who may open the pages -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/en/workbench/", "/fr/espace-de-travail/supervision/"])
def test_a_person_not_signed_in_is_sent_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].split("?")[0] in ("/en/sign-in/", "/fr/connexion/")


def test_a_person_not_signed_in_who_opens_a_case_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(case_url(triaged_case()))

    assert response.status_code == 302
    assert "/en/sign-in/?next=" in response["Location"]


def test_a_client_cannot_open_the_workbench(client: Client) -> None:
    client.force_login(create_user(Role.APPLICANT))

    response = client.get("/en/workbench/")

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_a_client_who_opens_a_case_page_gets_not_found_even_for_their_own_file() -> None:
    case = triaged_case()
    client = signed_in(case.application.applicant)

    assert client.get(case_url(case)).status_code == 404
    response = client.post(case_url(case, action="notes/"), action_form(case, text="Hello"))
    assert response.status_code == 404
    assert not case.events.filter(kind=EventKind.NOTE_ADDED).exists()


def test_an_officer_cannot_open_the_supervision_pages() -> None:
    client = signed_in(create_skilled_officer())

    assert client.get("/en/workbench/supervision/").status_code == 403
    assert client.get("/en/workbench/supervision/officers/").status_code == 403


def test_an_unknown_case_is_not_found() -> None:
    client = signed_in(create_skilled_officer())

    assert client.get(f"/en/workbench/files/{uuid.uuid4()}/").status_code == 404


def test_the_header_links_staff_to_the_workbench_and_not_clients() -> None:
    # An officer's home is the queue: the header there links to the workbench.
    staff_home = signed_in(create_skilled_officer()).get("/fr/", follow=True).content.decode()
    client_home = signed_in(create_user(Role.APPLICANT)).get("/fr/").content.decode()

    assert 'href="/fr/espace-de-travail/"' in staff_home
    assert "espace-de-travail" not in client_home


# --- The queue ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading", "button"),
    [
        ("/en/workbench/", "My queue", "Take the next file"),
        ("/fr/espace-de-travail/", "Ma file d\u2019attente", "Prendre le dossier suivant"),
    ],
)
def test_the_queue_shows_the_officers_files_with_tier_age_and_due_date(
    path: str, heading: str, button: str
) -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    received_at = clock.now() - timedelta(days=60)
    Case.objects.filter(pk=case.pk).update(received_at=received_at)

    response = signed_in(officer).get(path)
    html = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert button in html
    assert case.reference in html
    assert "60" in text_of(html)
    # Counted from the day received in the officer's office, at any hour of the UTC day.
    office_zone = zoneinfo.ZoneInfo(officer.office.time_zone)  # type: ignore[union-attr]
    due = (timezone.localdate(received_at, office_zone) + timedelta(days=56)).isoformat()
    assert due in html


def test_taking_the_next_file_opens_it_and_a_second_click_gives_the_same_file() -> None:
    officer = create_skilled_officer()
    older, newer = triaged_case(funds_cad=1200), triaged_case(funds_cad=1100)
    client = signed_in(officer)
    key = uuid.uuid4().hex

    first = client.post("/en/workbench/next/", {"idempotency_key": key})
    again = client.post("/en/workbench/next/", {"idempotency_key": key})

    assert first.status_code == 302
    assert first["Location"] == case_url(older)
    assert again["Location"] == case_url(older)
    newer.refresh_from_db()
    assert newer.assigned_to is None


def test_taking_the_next_file_when_there_is_none_says_so() -> None:
    client = signed_in(create_skilled_officer())

    response = client.post(
        "/fr/espace-de-travail/suivant/", {"idempotency_key": uuid.uuid4().hex}, follow=True
    )

    assert response.redirect_chain == [("/fr/espace-de-travail/", 302)]
    assert "Aucun dossier à prendre pour l\u2019instant" in response.content.decode()


# --- The case page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "Triage explanation",
                "Not passed",
                "Ruleset version",
                "History",
                "CAD 1200; minimum CAD 2500",
                "Funds in Canadian dollars",
            ],
        ),
        (
            "fr",
            [
                "Explication du triage",
                "Non satisfait",
                "Version des règles",
                "Historique",
                "1200 $ CA\u00a0; minimum 2500 $ CA",
                "Fonds en dollars canadiens",
            ],
        ),
    ],
)
def test_the_case_page_explains_triage_with_each_criterion_its_citation_and_the_ruleset(
    language: str, words: list[str]
) -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    response = signed_in(officer).get(case_url(case, language))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html
    assert "iec@2025-01-01" in html
    assert "experience-eligibility.html" in html  # the citation's link
    assert "passport.pdf" in html


def test_a_file_in_blind_review_hides_the_rules_outcome_and_records_a_quality_review(
    settings,
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_skilled_officer()
    case = taken_case(officer)
    assert case.blind_review

    html = signed_in(officer).get(case_url(case)).content.decode()

    assert "This file is in blind review." in html
    assert "Ruleset version" not in html
    assert "minimum CAD" not in html
    assert "Tier 1" not in html
    assert "eligible_auto" not in html

    response = signed_in(officer).post(
        case_url(case, action="eligibility/"), action_form(case, finding="met")
    )

    assert response.status_code == 302
    review = case.events.get(kind=EventKind.QUALITY_REVIEWED)
    assert review.payload["agreed"] is True
    case.refresh_from_db()
    assert case.eligibility == StepState.COMPLETED
    assert not case.blind_review


# --- Actions ----------------------------------------------------------------------------


def test_requesting_documents_makes_the_step_wait_on_the_client() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    due_on = (clock.now() + timedelta(days=20)).date()

    response = signed_in(officer).post(
        case_url(case, action="request-documents/"),
        action_form(
            case,
            step=Step.ELIGIBILITY,
            items="Bank statement for the last 3 months\n\nProof of funds",
            due_on=due_on.isoformat(),
            message="Your funds are below the minimum.",
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert "Documents requested." in response.content.decode()
    case.refresh_from_db()
    assert case.eligibility == StepState.WAITING_ON_YOU
    request = case.document_requests.get()
    assert request.items == ["Bank statement for the last 3 months", "Proof of funds"]
    assert request.due_on == due_on


def test_a_document_request_due_today_shows_the_error_beside_the_due_date() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    response = signed_in(officer).post(
        case_url(case, action="request-documents/"),
        action_form(case, step=Step.ELIGIBILITY, items="Bank statement", due_on=clock.now().date()),
    )
    html = response.content.decode()

    assert response.status_code == 422
    assert "There was a problem" in html
    assert '<a href="#documents-due_on">The due date must be after today.</a>' in html
    assert "Bank statement</textarea>" in html
    assert not case.document_requests.exists()


def test_an_officer_records_every_step_then_approves_the_file() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    client = signed_in(officer)

    case.refresh_from_db()
    client.post(case_url(case, action="eligibility/"), action_form(case, finding="met"))
    for step, state in (
        (Step.BACKGROUND, StepState.COMPLETED),
        (Step.MEDICAL, StepState.EXEMPTED),
        (Step.BIOMETRICS, StepState.COMPLETED),
    ):
        case.refresh_from_db()
        response = client.post(
            case_url(case, action="steps/"), action_form(case, step=step, state=state)
        )
        assert response.status_code == 302
    case.refresh_from_db()
    response = client.post(
        case_url(case, action="decision/"),
        with_letter_read(action_form(case, decision="approve")),
        follow=True,
    )

    assert "The file was approved." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert case.decided_by == officer


def test_a_refusal_without_reasons_shows_the_error_and_refuses_nothing() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    response = signed_in(officer).post(
        case_url(case, action="decision/"),
        action_form(case, decision="refuse", legal_grounds="IRPR 200(1)(b)"),
    )
    html = response.content.decode()

    assert response.status_code == 422
    assert '<a href="#decision-reasons">Give the reasons for the refusal.</a>' in html
    assert 'aria-describedby="decision-reasons_helptext decision-reasons_error"' in html
    assert "IRPR 200(1)(b)</textarea>" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_a_refusal_with_reasons_records_them_and_the_legal_grounds() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    signed_in(officer).post(
        case_url(case, action="decision/"),
        with_letter_read(
            action_form(
                case,
                decision="refuse",
                reasons="Funds below the required minimum.",
                legal_grounds="IRPR 200(1)(b)\nIRPR 205(b)",
            )
        ),
    )

    refusal = case.events.get(kind=EventKind.REFUSED)
    assert refusal.payload["legal_grounds"] == ["IRPR 200(1)(b)", "IRPR 205(b)"]
    assert refusal.payload["reasons"] == "Funds below the required minimum."


def test_a_supervisor_is_not_offered_a_refusal_and_cannot_send_one() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    client = signed_in(create_supervisor())

    html = client.get(case_url(case)).content.decode()
    response = client.post(
        case_url(case, action="decision/"),
        with_letter_read(action_form(case, decision="refuse", reasons="Funds below the minimum.")),
    )

    assert 'value="refuse"' not in html
    assert response.status_code in (403, 422)
    assert not case.events.filter(kind=EventKind.REFUSED).exists()


def test_approving_before_the_steps_are_finished_is_a_conflict_with_the_reason() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    response = signed_in(officer).post(
        case_url(case, action="decision/"), with_letter_read(action_form(case, decision="approve"))
    )

    assert response.status_code == 409
    assert "Every step must be completed or exempted before approval." in text_of(
        response.content.decode()
    )


def test_a_stale_version_is_a_conflict_that_keeps_the_typed_text_and_the_other_change() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    shown_version = case.version
    cases.add_note(
        case_id=case.public_id,
        actor=create_supervisor(),
        text="Called the applicant's bank.",
        idempotency_key="colleague-note",
    )

    response = signed_in(officer).post(
        case_url(case, action="eligibility/"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "expected_version": shown_version,
            "finding": "not_met",
            "reasons": "Funds are below the minimum.",
        },
    )
    html = response.content.decode()

    assert response.status_code == 409
    assert "This case changed while you were working on it. Reload it and try again." in html
    assert "Funds are below the minimum.</textarea>" in html
    assert "Called the applicant&#x27;s bank." in html
    case.refresh_from_db()
    assert case.eligibility == StepState.NOT_STARTED
    assert case.events.filter(kind=EventKind.NOTE_ADDED).count() == 1
    assert f'name="expected_version" value="{case.version}"' in html


def test_a_replayed_form_acts_once() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    form = action_form(case, text="Asked the applicant for a bank statement.")
    client = signed_in(officer)

    first = client.post(case_url(case, action="notes/"), form)
    replay = client.post(case_url(case, action="notes/"), form, follow=True)

    assert first.status_code == 302
    assert replay.status_code == 200
    assert "nothing was recorded twice" in replay.content.decode()
    assert case.events.filter(kind=EventKind.NOTE_ADDED).count() == 1


def test_two_notes_written_in_two_tabs_are_both_added() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    client = signed_in(officer)
    first_tab = action_form(case, text="Called the employer.")
    second_tab = action_form(case, text="Emailed the school.")  # same version, other key

    first = client.post(case_url(case, action="notes/"), first_tab)
    second = client.post(case_url(case, action="notes/"), second_tab)

    assert (first.status_code, second.status_code) == (302, 302)
    notes = case.events.filter(kind=EventKind.NOTE_ADDED).order_by("sequence")
    assert [event.payload["text"] for event in notes] == [
        "Called the employer.",
        "Emailed the school.",
    ]


def test_a_form_without_its_idempotency_key_asks_to_reload() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)

    response = signed_in(officer).post(
        case_url(case, action="notes/"), {"expected_version": case.version, "text": "A note"}
    )

    assert response.status_code == 422
    assert "This form is out of date. Reload the page and try again." in response.content.decode()
    assert not case.events.filter(kind=EventKind.NOTE_ADDED).exists()


def test_notes_and_history_show_on_the_case_page_in_french() -> None:
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = taken_case(officer, funds_cad=1200)
    signed_in(officer).post(case_url(case, action="notes/"), action_form(case, text="Vu."))

    html = signed_in(officer).get(case_url(case, "fr")).content.decode()

    assert "Vu." in html
    assert "Léa Tremblay" in html
    assert "Nous avons reçu votre demande" in html or "Demande reçue" in html


# --- Supervision --------------------------------------------------------------------------


def test_the_supervisor_overview_shows_capacity_load_leave_and_queue_ages() -> None:
    busy = create_skilled_officer(first_name="Ana", last_name="Silva")
    away = create_skilled_officer(first_name="Omar", last_name="Haddad")
    taken_case(busy, funds_cad=1200)
    triaged_case(funds_cad=1100)  # stays in the shared queue
    supervisor = create_supervisor()
    # The page's "today" is the supervisor's office's, at any UTC hour.
    today = timezone.localdate(clock.now(), zoneinfo.ZoneInfo(supervisor.office.time_zone))
    Leave.objects.create(officer=away, starts_on=today, ends_on=today + timedelta(days=3))

    response = signed_in(supervisor).get("/en/workbench/supervision/")
    page = text_of(response.content.decode())

    assert response.status_code == 200
    assert "Capacity by office" in page
    # 2 officers, 20 a week, 10 of them at work today, 1 open file assigned and started.
    assert "ottawa office 2 20 10 1 1 Omar Haddad" in page
    assert "International Experience Canada 1 0 0" in page


def test_the_supervisor_overview_in_french_names_the_office_in_french() -> None:
    create_skilled_officer()

    response = signed_in(create_supervisor()).get("/fr/espace-de-travail/supervision/")

    assert response.status_code == 200
    assert "Bureau de ottawa" in response.content.decode()
    assert "Capacité par bureau" in response.content.decode()


def officer_form(office: int, capacity: str = "12") -> dict[str, object]:
    """The officer page's form with two skills, as a supervisor fills it in."""
    return {
        "office": office,
        "weekly_capacity": capacity,
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-0-kind": "program",
        "skills-0-value": "iec/working-holiday",
        "skills-0-proficiency": "4",
        "skills-1-kind": "language",
        "skills-1-value": "fr",
        "skills-1-proficiency": "5",
        "skills-2-kind": "",
        "skills-2-value": "",
        "skills-2-proficiency": "3",
    }


def test_a_supervisor_sets_an_officers_capacity_and_skills() -> None:
    officer = create_skilled_officer()
    client = signed_in(create_supervisor())
    url = f"/en/workbench/supervision/officers/{officer.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(url, officer_form(officer.office.pk))

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.office.code == "ottawa"
    assert officer.officer_profile.weekly_capacity == 12
    assert set(officer.skills.values_list("kind", "value", "proficiency")) == {
        ("program", "iec/working-holiday", 4),
        ("language", "fr", 5),
    }


def test_a_supervisor_records_leave_and_a_last_day_before_the_first_is_an_error() -> None:
    officer = create_skilled_officer()
    client = signed_in(create_supervisor())
    url = f"/en/workbench/supervision/officers/{officer.pk}/leave/"

    wrong = client.post(url, {"starts_on": "2026-07-10", "ends_on": "2026-07-01"})
    right = client.post(url, {"starts_on": "2026-07-01", "ends_on": "2026-07-10"})

    assert wrong.status_code == 422
    assert "The last day cannot be before the first day." in wrong.content.decode()
    assert right.status_code == 302
    assert officer.leaves.get().ends_on.isoformat() == "2026-07-10"


def test_a_supervisor_moves_several_files_to_another_officer_with_a_reason() -> None:
    first, second = create_skilled_officer(), create_skilled_officer(first_name="Zoé")
    moved = [taken_case(first, funds_cad=1200), taken_case(first, funds_cad=1100)]
    client = signed_in(create_supervisor())
    listing = client.get(f"/en/workbench/supervision/files/?officer={first.pk}")
    assert all(case.reference in listing.content.decode() for case in moved)

    response = client.post(
        f"/en/workbench/supervision/files/?officer={first.pk}",
        {
            "idempotency_key": uuid.uuid4().hex,
            "cases": [str(case.public_id) for case in moved],
            "destination": str(second.pk),
            "reason": "Ana is on training this week.",
        },
        follow=True,
    )

    assert "Moved 2 files: " in response.content.decode()
    for case in moved:
        case.refresh_from_db()
        assert case.assigned_to == second
        assert case.assignment_pinned
        payload = case.events.filter(kind=EventKind.ASSIGNED).last().payload
        assert (payload["manual"], payload["reason"]) == (True, "Ana is on training this week.")


def test_a_supervisor_sends_a_file_back_to_the_queue_and_must_give_a_reason() -> None:
    officer = create_skilled_officer()
    case = taken_case(officer, funds_cad=1200)
    client = signed_in(create_supervisor())
    form = {"idempotency_key": uuid.uuid4().hex, "cases": [str(case.public_id)]}

    no_reason = client.post("/en/workbench/supervision/files/", {**form, "destination": "queue"})
    done = client.post(
        "/en/workbench/supervision/files/",
        {**form, "destination": "queue", "reason": "Back to the pool."},
    )

    assert no_reason.status_code == 422
    assert '<a href="#reassign-reason">Give a reason.</a>' in no_reason.content.decode()
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to is None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.UNASSIGNED).count() == 1


def test_a_supervisor_sees_only_their_offices_officers_and_not_the_page_of_another() -> None:
    create_skilled_officer(first_name="Ana", last_name="Silva")
    montreal = create_skilled_officer(first_name="Marc", last_name="Roy", office="montreal")
    client = signed_in(create_supervisor("ottawa"))

    listing = client.get("/en/workbench/supervision/officers/").content.decode()
    overview = client.get("/en/workbench/supervision/").content.decode()

    assert "Ana Silva" in listing
    assert "Marc Roy" not in listing
    assert "montreal office" not in overview
    assert client.get(f"/en/workbench/supervision/officers/{montreal.pk}/").status_code == 404


def test_a_supervisor_cannot_change_or_give_leave_to_an_officer_of_another_office() -> None:
    montreal = create_skilled_officer(capacity=10, office="montreal")
    client = signed_in(create_supervisor("ottawa"))
    url = f"/en/workbench/supervision/officers/{montreal.pk}/"

    details = client.post(url, officer_form(montreal.office.pk, capacity="0"))
    leave = client.post(f"{url}leave/", {"starts_on": "2026-07-01", "ends_on": "2026-07-10"})

    assert (details.status_code, leave.status_code) == (404, 404)
    montreal.refresh_from_db()
    assert montreal.officer_profile.weekly_capacity == 10
    assert set(montreal.skills.values_list("value", flat=True)) == {"iec", "en", "fr"}
    assert not Leave.objects.exists()


def test_a_supervisor_is_offered_only_their_office_and_cannot_move_an_officer_out() -> None:
    officer = create_skilled_officer(capacity=10)
    montreal = create_office("montreal")
    client = signed_in(create_supervisor("ottawa"))
    url = f"/en/workbench/supervision/officers/{officer.pk}/"

    page = client.get(url).content.decode()
    response = client.post(url, officer_form(montreal.pk))

    assert "montreal office" not in page
    assert response.status_code == 422
    officer.refresh_from_db()
    assert (officer.office.code, officer.officer_profile.weekly_capacity) == ("ottawa", 10)


def test_a_supervisor_cannot_move_a_file_of_another_offices_officer_from_the_files_page() -> None:
    montreal = create_skilled_officer(first_name="Marc", last_name="Roy", office="montreal")
    mine = create_skilled_officer(first_name="Ana", last_name="Silva")
    held = taken_case(montreal, funds_cad=1200)
    events = held.events.count()
    client = signed_in(create_supervisor("ottawa"))

    listing = client.get("/en/workbench/supervision/files/").content.decode()
    response = client.post(
        "/en/workbench/supervision/files/",
        {
            "idempotency_key": uuid.uuid4().hex,
            "cases": [str(held.public_id)],
            "destination": str(mine.pk),
            "reason": "Balance the load.",
        },
        follow=True,
    )

    assert held.reference not in listing
    assert "Marc Roy" not in listing
    # Named by the address sent: the file is out of the supervisor's reach, its reference too.
    assert f"{held.public_id} was not moved" in response.content.decode()
    assert held.reference not in response.content.decode()
    held.refresh_from_db()
    assert held.assigned_to == montreal
    assert held.events.count() == events


def test_a_supervisor_cannot_give_a_file_to_an_officer_of_another_office_from_the_page() -> None:
    case = triaged_case(funds_cad=1200)
    montreal = create_skilled_officer(office="montreal")
    client = signed_in(create_supervisor("ottawa"))

    response = client.post(
        "/en/workbench/supervision/files/",
        {
            "idempotency_key": uuid.uuid4().hex,
            "cases": [str(case.public_id)],
            "destination": str(montreal.pk),
            "reason": "Balance the load.",
        },
    )

    assert response.status_code == 422
    case.refresh_from_db()
    assert case.assigned_to is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()
