"""Multi-factor authentication: setting up an authenticator app, the code step at
sign-in, recovery codes, and staff who must use it."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.mfa import replace_recovery_codes
from passage.accounts.models import User
from passage.accounts.roles import Role
from tests.accounts.builders import create_authenticator, current_code, signed_in_with_mfa
from tests.builders import create_officer, create_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_throttling(settings: object) -> None:
    """django-otp waits longer after each wrong code; the tests do not wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_setting_up_an_app_shows_the_secret_and_a_qr_code_then_recovery_codes_once() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)

    page = client.get("/en/account/security/").content.decode()
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    confirmed = client.post("/en/account/security/", {"code": current_code(device)})

    assert "<svg" in page
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32
    device.refresh_from_db()
    assert device.confirmed
    html = confirmed.content.decode()
    assert "Your recovery codes" in html
    codes = StaticToken.objects.filter(device__user=person).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in html for code in codes)
    # Shown once: the account page does not show them again.
    assert codes[0] not in client.get("/en/account/").content.decode()


def test_a_wrong_code_at_set_up_is_rejected_and_the_app_stays_off() -> None:
    person = create_user(Role.APPLICANT)
    client = signed_in(person)
    client.get("/en/account/security/")

    response = client.post("/en/account/security/", {"code": "000000"})

    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def test_an_account_with_an_app_signs_in_with_the_password_then_a_code(client: Client) -> None:
    person = create_user(Role.APPLICANT, username="amelie", password=PASSWORD)
    device = create_authenticator(person)

    after_password = client.post(
        "/en/sign-in/?next=/en/account/", {"username": "amelie", "password": PASSWORD}
    )

    assert after_password["Location"] == "/en/account/sign-in/code/"
    assert "_auth_user_id" not in client.session
    after_code = client.post("/en/account/sign-in/code/", {"code": current_code(device)})
    assert after_code["Location"] == "/en/account/"
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_rejected_and_the_person_stays_signed_out(client: Client) -> None:
    person = create_user(Role.APPLICANT, username="amelie", password=PASSWORD)
    create_authenticator(person)
    client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})

    response = client.post("/en/account/sign-in/code/", {"code": "123456"})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(client: Client) -> None:
    person = create_user(Role.APPLICANT, username="amelie", password=PASSWORD)
    device = create_authenticator(person)
    client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})
    for _ in range(5):
        client.post("/en/account/sign-in/code/", {"code": "123456"})

    response = client.post("/en/account/sign-in/code/", {"code": current_code(device)}, follow=True)

    assert "There were too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client: Client) -> None:
    person = create_user(Role.APPLICANT, username="amelie", password=PASSWORD)
    create_authenticator(person)
    code = replace_recovery_codes(user=person)[0]
    client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})
    first = client.post("/en/account/sign-in/code/", {"code": code})
    client.logout()
    client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})
    second = client.post("/en/account/sign-in/code/", {"code": code})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/en/workbench/", "/en/admin/"])
def test_staff_without_an_app_are_sent_to_set_one_up_before_any_staff_page(path: str) -> None:
    officer = create_officer()
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    client = signed_in(officer)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/en/account/security/?next={path.replace('/', '%2F')}"
    page = client.get(response["Location"]).content.decode()
    assert "Department staff must sign in with a code" in page


def test_staff_whose_session_skipped_the_code_are_asked_for_one() -> None:
    officer = create_officer()
    device = create_authenticator(officer)
    client = signed_in(officer)

    response = client.get("/en/workbench/", follow=True)
    assert "Enter your code" in response.content.decode()
    entered = client.post(
        "/en/account/security/?next=/en/workbench/",
        {"code": current_code(device), "next": "/en/workbench/"},
    )

    assert entered["Location"] == "/en/workbench/"
    assert client.get("/en/workbench/").status_code == 200


def test_staff_with_a_verified_session_open_the_workbench() -> None:
    client = signed_in_with_mfa(create_officer())

    assert client.get("/en/workbench/").status_code == 200


def test_an_applicant_does_not_need_an_app() -> None:
    client = signed_in(create_user(Role.APPLICANT))

    assert client.get("/en/account/").status_code == 200


def test_the_admin_sends_a_visitor_to_passages_own_sign_in(client: Client) -> None:
    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/sign-in/?next=")
