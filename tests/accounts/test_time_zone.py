"""The time zone a person reads times in: chosen on the account page from Canada's zones
and a few others, each named in words in both languages; every time of their pages is
then in it, with the zone said in words."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from passage.accounts.access import time_zone_of
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.forms import new_idempotency_key
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from tests.builders import create_office, create_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

# 01:31 UTC on 22 November: 20:31 on the 21st in Toronto, 17:31 in Vancouver.
SAVED_AT = datetime(2026, 11, 22, 1, 31, tzinfo=UTC)


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def choose(client: Client, zone: str, language: str = "en") -> "_MonkeyPatchedWSGIResponse":
    path = "/en/account/time-zone/" if language == "en" else "/fr/compte/fuseau-horaire/"
    return client.post(
        path, {"zone-time_zone": zone, "zone-idempotency_key": new_idempotency_key()}
    )


def my_applications(client: Client, language: str = "en") -> str:
    path = "/en/apply/my-applications/" if language == "en" else "/fr/demande/mes-demandes/"
    page = client.get(path)
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def applicant_with_a_draft() -> User:
    load_programs()
    person = create_user(Role.APPLICANT)
    drafts.start_draft(person=person, program_code="iec", now=SAVED_AT)
    return person


def test_a_person_who_chose_no_zone_reads_times_in_the_services_zone(settings) -> None:
    settings.PASSAGE_DISPLAY_TIME_ZONE = "America/Toronto"
    person = create_user(Role.APPLICANT)

    assert person.time_zone == ""
    assert time_zone_of(person) == "America/Toronto"


def test_staff_read_times_in_their_offices_zone_until_they_choose_their_own() -> None:
    office = create_office("vancouver")
    office.time_zone = "America/Vancouver"
    office.save()
    officer = create_user(Role.OFFICER, office=office)

    assert time_zone_of(officer) == "America/Vancouver"
    officer.time_zone = "America/Halifax"
    assert time_zone_of(officer) == "America/Halifax"


def test_the_account_page_offers_the_zones_in_words_with_the_persons_zone_chosen() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)

    english = client.get("/en/account/").content.decode()
    french = client.get("/fr/compte/").content.decode()

    assert 'value="America/Toronto" selected>Eastern time (Toronto)</option>' in english
    assert "Pacific time (Vancouver)" in english
    assert "Newfoundland time (St. John&#x27;s)" in english
    assert "heure de l\u2019Est (Toronto)" in french
    assert "heure du Pacifique (Vancouver)" in french
    assert 'name="zone-idempotency_key"' in english


def test_the_chosen_zone_is_saved_and_said_in_words() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)

    answer = choose(client, "America/Vancouver")

    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "America/Vancouver"
    page = client.get("/en/account/").content.decode()
    assert "Times are now shown in Pacific time." in page
    assert 'value="America/Vancouver" selected>' in page


def test_a_zone_outside_the_list_or_a_form_without_its_key_changes_nothing() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)

    outside = choose(client, "Mars/Olympus_Mons")
    keyless = client.post("/en/account/time-zone/", {"zone-time_zone": "America/Vancouver"})

    assert outside.status_code == keyless.status_code == 400
    assert "Choose one of the time zones in the list." in outside.content.decode()
    assert "gc-error-summary" in outside.content.decode()
    person.refresh_from_db()
    assert person.time_zone == ""


def test_sending_the_same_form_twice_sets_the_zone_once_and_answers_the_same() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)
    form = {"zone-time_zone": "America/Winnipeg", "zone-idempotency_key": "same-key"}

    first = client.post("/en/account/time-zone/", form)
    again = client.post("/en/account/time-zone/", form)

    assert first.status_code == again.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "America/Winnipeg"


def test_last_saved_reads_in_the_persons_zone_with_the_zone_in_words(
    applicant_with_a_draft: User, settings
) -> None:
    settings.PASSAGE_DISPLAY_TIME_ZONE = "America/Toronto"
    client = signed_in(applicant_with_a_draft)

    assert "21 November 2026, 8:31 p.m. (Eastern time)" in my_applications(client)
    assert "21 novembre 2026, 20 h 31 (heure de l\u2019Est)" in my_applications(client, "fr")

    choose(client, "America/Vancouver")

    assert "21 November 2026, 5:31 p.m. (Pacific time)" in my_applications(client)
    french = my_applications(client, "fr")
    assert "21 novembre 2026, 17 h 31 (heure du Pacifique)" in french
    assert "20 h 31" not in french


def test_a_zone_chosen_on_the_french_page_is_confirmed_in_french(
    applicant_with_a_draft: User,
) -> None:
    client = signed_in(applicant_with_a_draft)

    choose(client, "Europe/Paris", language="fr")

    page = client.get("/fr/compte/").content.decode()
    assert "heure d\u2019Europe centrale" in page
    shown = "22 novembre 2026, 2 h 31 (heure d\u2019Europe centrale)"
    assert shown in my_applications(client, "fr")
