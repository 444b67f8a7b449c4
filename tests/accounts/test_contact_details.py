"""A client's contact details: changed on the account page, saved on their account, and
recorded (only what changed) on each of their open applications for the officers; an
email address change is announced to the old address."""

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from passage import errors
from passage.accounts import contact_details
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.contact_changes import case_key
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus, EventKind
from passage.outbox.models import OutboxMessage
from tests.builders import case_in_status, create_officer, create_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def details_of(person: User, **changes: str) -> dict[str, str]:
    """The person's contact details as the form sends them, with `changes`."""
    details = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "mailing_address": person.mailing_address,
        "preferred_language": person.preferred_language,
    }
    details.update(changes)
    return details


def change(person: User, key: str | None = None, **changes: str) -> dict[str, str]:
    return contact_details.change_contact_details(
        user=person,
        idempotency_key=uuid.uuid4().hex if key is None else key,
        now=NOW,
        **details_of(person, **changes),
    )


def change_events(case: Case) -> list[CaseEvent]:
    return list(case.events.filter(kind=EventKind.DETAILS_CHANGED).order_by("sequence"))


@pytest.fixture
def client_person() -> User:
    return create_user(Role.APPLICANT, first_name="Amélie", last_name="Poulain")


def test_a_change_is_recorded_once_on_each_open_case_with_only_what_changed(
    client_person: User,
) -> None:
    received = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    in_review = case_in_status(CaseStatus.IN_REVIEW, submitter=client_person)

    changes = change(
        client_person, phone="+1 613 555 0123", mailing_address="1 Wellington St\nOttawa ON"
    )

    assert changes == {"phone": "+1 613 555 0123", "address": "1 Wellington St\nOttawa ON"}
    for case in (received, in_review):
        (event,) = change_events(case)
        assert event.payload == {"changes": changes}
        assert event.actor_id == client_person.pk
        assert event.actor_role == "applicant"
    client_person.refresh_from_db()
    assert client_person.phone == "+1 613 555 0123"
    assert client_person.mailing_address == "1 Wellington St\nOttawa ON"


def test_a_new_name_and_language_are_recorded_as_an_officer_reads_them(
    client_person: User,
) -> None:
    case = case_in_status(CaseStatus.TRIAGE, submitter=client_person)

    change(client_person, last_name="Dupont", preferred_language="fr")

    (event,) = change_events(case)
    assert event.payload["changes"] == {"name": "Amélie Dupont", "language": "Français"}


def test_decided_and_withdrawn_cases_get_no_event(client_person: User) -> None:
    refused = case_in_status(CaseStatus.REFUSED, submitter=client_person)
    withdrawn = case_in_status(CaseStatus.WITHDRAWN, submitter=client_person)
    open_case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)

    change(client_person, phone="613-555-0199")

    assert change_events(refused) == change_events(withdrawn) == []
    assert len(change_events(open_case)) == 1


def test_a_case_of_someone_else_gets_no_event(client_person: User) -> None:
    others = case_in_status(CaseStatus.RECEIVED)

    change(client_person, phone="613-555-0199")

    assert change_events(others) == []


def test_nothing_changed_records_nothing(client_person: User) -> None:
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)

    assert change(client_person) == {}
    assert change_events(case) == []


def test_the_same_form_sent_twice_acts_once(client_person: User) -> None:
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)

    first = change(client_person, key="form-1", phone="613-555-0101")
    change(client_person, phone="613-555-0202")
    again = change(client_person, key="form-1", phone="613-555-0101")

    assert first == again == {"phone": "613-555-0101"}
    assert [event.payload["changes"]["phone"] for event in change_events(case)] == [
        "613-555-0101",
        "613-555-0202",
    ]
    client_person.refresh_from_db()
    assert client_person.phone == "613-555-0202"


def test_each_case_gets_its_own_key_made_from_the_forms_key(client_person: User) -> None:
    one = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    two = case_in_status(CaseStatus.RECEIVED, submitter=client_person)

    change(client_person, key="form-2", phone="613-555-0101")

    keys = {change_events(case)[0].idempotency_key for case in (one, two)}
    assert keys == {case_key("form-2", one.public_id), case_key("form-2", two.public_id)}


def test_a_new_email_address_is_saved_and_the_old_address_is_told(client_person: User) -> None:
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    old = client_person.email

    change(client_person, email="amelie.new@example.com")

    client_person.refresh_from_db()
    assert client_person.email == "amelie.new@example.com"
    (notice,) = OutboxMessage.objects.filter(kind="email_changed")
    assert notice.to_email == old
    assert change_events(case)[0].payload["changes"] == {"email": "amelie.new@example.com"}


def test_an_address_of_another_account_is_refused_and_nothing_changes(
    client_person: User,
) -> None:
    create_user(Role.APPLICANT, email="taken@example.com")
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    old = client_person.email

    with pytest.raises(contact_details.ContactDetailsError) as refused:
        change(client_person, email="Taken@example.com", phone="613-555-0101")

    assert "email" in refused.value.details["errors"]
    client_person.refresh_from_db()
    assert (client_person.email, client_person.phone) == (old, "")
    assert change_events(case) == []


def test_a_language_outside_english_and_french_or_no_key_is_refused(client_person: User) -> None:
    with pytest.raises(contact_details.ContactDetailsError):
        change(client_person, preferred_language="de")
    with pytest.raises(errors.InvalidRequest):
        change(client_person, key="", phone="613-555-0101")
    client_person.refresh_from_db()
    assert client_person.phone == ""


def test_staff_cannot_change_details_here() -> None:
    officer = create_officer()

    with pytest.raises(errors.InvalidRequest):
        change(officer, phone="613-555-0101")


# --- The account page ---------------------------------------------------------------


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


PATHS = {"en": "/en/account/contact-details/", "fr": "/fr/compte/coordonnees/"}


def send(
    client: Client, person: User, language: str = "en", key: str | None = None, **changes: str
) -> "_MonkeyPatchedWSGIResponse":
    form = {f"contact-{name}": value for name, value in details_of(person, **changes).items()}
    form["contact-idempotency_key"] = key or uuid.uuid4().hex
    return client.post(PATHS[language], form)


def test_the_account_page_shows_a_client_their_details_in_both_languages(
    client_person: User,
) -> None:
    client_person.phone = "613-555-0123"
    client_person.save()
    client = signed_in(client_person)

    english = client.get("/en/account/").content.decode()
    french = client.get("/fr/compte/").content.decode()

    assert "Your contact details" in english
    assert 'value="613-555-0123"' in english
    assert 'name="contact-idempotency_key"' in english
    assert "Language of correspondence" in english
    assert "Vos coordonnées" in french
    assert "Langue de correspondance" in french
    assert "Adresse postale" in french


def test_staff_see_no_contact_details_form() -> None:
    officer = create_officer()
    client = signed_in(officer)
    from tests.accounts.builders import verify_session

    verify_session(client, officer)

    page = client.get("/en/account/").content.decode()

    assert "Your contact details" not in page
    assert send(client, officer, phone="613-555-0101").status_code == 302
    officer.refresh_from_db()
    assert officer.phone == ""


@pytest.mark.parametrize(
    ("language", "saved"),
    [("en", "Your contact details are saved."), ("fr", "Vos coordonnées sont enregistrées.")],
)
def test_a_client_saves_new_details_and_the_page_says_so(
    client_person: User, language: str, saved: str
) -> None:
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    client = signed_in(client_person)

    answer = send(client, client_person, language, phone="613-555-0123")

    assert answer.status_code == 302
    assert saved in client.get(answer["Location"]).content.decode()
    client_person.refresh_from_db()
    assert client_person.phone == "613-555-0123"
    assert change_events(case)[0].payload["changes"] == {"phone": "613-555-0123"}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter your given names"),
        ("fr", "Entrez vos prénoms"),
    ],
)
def test_a_form_with_errors_is_shown_again_with_them_and_changes_nothing(
    client_person: User, language: str, message: str
) -> None:
    client = signed_in(client_person)

    answer = send(client, client_person, language, first_name="", phone="613-555-0123")

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "gc-error-summary" in page
    assert message in page
    client_person.refresh_from_db()
    assert client_person.phone == ""


def test_a_wrong_telephone_or_a_taken_address_is_explained(client_person: User) -> None:
    create_user(Role.APPLICANT, email="taken@example.com")
    client = signed_in(client_person)

    letters = send(client, client_person, phone="call me maybe").content.decode()
    taken = send(client, client_person, email="taken@example.com")

    assert "Enter a telephone number with digits only" in letters
    assert taken.status_code == 400
    assert "This email address cannot be used." in taken.content.decode()


def test_the_same_form_sent_twice_from_the_page_records_one_event(client_person: User) -> None:
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)
    client = signed_in(client_person)

    first = send(client, client_person, key="page-form", phone="613-555-0123")
    again = send(client, client_person, key="page-form", phone="613-555-0123")

    assert first.status_code == again.status_code == 302
    assert len(change_events(case)) == 1


def test_an_address_sent_again_with_the_browsers_line_ends_is_not_a_change(
    client_person: User,
) -> None:
    change(client_person, mailing_address="1 Wellington St\nOttawa ON")
    case = case_in_status(CaseStatus.RECEIVED, submitter=client_person)

    assert change(client_person, mailing_address="1 Wellington St\r\nOttawa ON\r\n") == {}
    assert change_events(case) == []
