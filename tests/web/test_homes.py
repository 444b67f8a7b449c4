"""Each person lands on their own home: after sign-in (the password step, and the code
step for staff) and on the site's home page; an allowed `next` still wins; staff cannot
start an application."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from passage.accounts.roles import Role
from tests.accounts.builders import create_authenticator, current_code, signed_in_with_mfa
from tests.builders import create_program, create_user

pytestmark = pytest.mark.django_db


def create_admin():
    """A superuser (the person who opens the admin)."""
    person = create_user()
    person.is_superuser = person.is_staff = True
    person.save(update_fields=["is_superuser", "is_staff"])
    return person


PASSWORD = "correct horse battery staple"
HOMES = {
    Role.OFFICER: "workbench:queue",
    Role.SUPERVISOR: "workbench:overview",
    Role.ANALYST: "web:analyst",
}


def url(name: str, language: str = "en", **kwargs) -> str:
    with override(language):
        return reverse(name, kwargs=kwargs)


def sign_in(person, language: str = "en", next_url: str = "") -> str:
    """Sign in through the pages (with the code step when the person has an app) and
    return where the last step leads."""
    client = Client()
    address = url("web:sign-in", language) + (f"?next={next_url}" if next_url else "")
    response = client.post(address, {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302, response
    if response["Location"] == url("accounts:sign-in-code", language):
        device = person.totpdevice_set.get()
        response = client.post(response["Location"], {"code": current_code(device)})
        assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.SPONSOR, Role.REPRESENTATIVE, Role.EMPLOYER])
def test_clients_land_on_the_client_home(role, language):
    assert sign_in(create_user(role), language) == url("web:home", language)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", list(HOMES))
def test_staff_land_on_their_own_home_after_the_code(role, language):
    person = create_user(role)
    create_authenticator(person)

    assert sign_in(person, language) == url(HOMES[role], language)


def test_staff_who_also_hold_a_client_role_land_on_their_staff_home():
    person = create_user(Role.ANALYST, Role.APPLICANT)
    create_authenticator(person)

    assert sign_in(person) == url("web:analyst")


def test_the_admin_lands_on_the_admin():
    person = create_admin()
    create_authenticator(person)

    assert sign_in(person) == reverse("admin:index")


def test_an_allowed_next_still_wins():
    going, sent_away = create_user(Role.ANALYST), create_user(Role.ANALYST)
    for person in (going, sent_away):
        create_authenticator(person)
    account = url("accounts:account")

    assert sign_in(going, next_url=account) == account
    assert sign_in(sent_away, next_url="https://elsewhere.example/") == url("web:analyst")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", list(HOMES))
def test_the_home_page_sends_staff_to_their_own_home(role, language):
    response = signed_in_with_mfa(create_user(role)).get(f"/{language}/")

    assert response.status_code == 302
    assert response["Location"] == url(HOMES[role], language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_home_page_sends_the_admin_to_the_admin(language):
    response = signed_in_with_mfa(create_admin()).get(f"/{language}/")

    assert response.status_code == 302
    assert response["Location"] == url("admin:index", language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_applicant_sees_the_client_home_with_the_way_to_apply(language):
    client = Client()
    client.force_login(create_user(Role.APPLICANT))

    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{url("intake:programs", language)}"' in html
    assert url("intake:my-applications", language) in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_employer_sees_the_client_home_without_the_way_to_apply(language):
    client = Client()
    client.force_login(create_user(Role.EMPLOYER))

    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{url("intake:programs", language)}"' not in html
    assert url("intake:my-applications", language) in html
    assert client.get(url("intake:programs", language)).status_code == 403


@pytest.mark.parametrize("role", list(HOMES))
def test_staff_cannot_start_an_application(role):
    create_program("iec")
    client = signed_in_with_mfa(create_user(role, Role.APPLICANT))

    assert client.get(url("intake:programs")).status_code == 403
    assert client.post(url("intake:start", program="iec")).status_code == 403
    applications = client.get(url("intake:my-applications")).content.decode()
    assert f'href="{url("intake:programs")}"' not in applications


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_analyst_home_lists_the_rules_in_force(language, settings):
    response = signed_in_with_mfa(create_user(Role.ANALYST)).get(url("web:analyst", language))

    assert response.status_code == 200
    html = response.content.decode()
    assert "iec@" in html
    assert "passage rules diff --program iec" in html
    assert 'href="https://' in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPLICANT])
def test_the_analyst_home_is_for_analysts_only(role):
    client = signed_in_with_mfa(create_user(role))

    assert client.get(url("web:analyst")).status_code == 403
