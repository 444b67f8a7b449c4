"""Managing the second factor from the account page: new recovery codes for a code from
the app, turning the app off with the password, and staff, who replace their app but
never end up without one."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts import mfa
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


def client_with_app(*roles: Role) -> tuple[User, TOTPDevice, Client, list[str]]:
    person = create_officer() if Role.OFFICER in roles else create_user(*roles)
    device = create_authenticator(person)
    codes = mfa.replace_recovery_codes(user=person)
    return person, device, signed_in_with_mfa(person), codes


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working() -> None:
    person, device, client, old_codes = client_with_app(Role.APPLICANT)

    page = client.post("/en/account/security/recovery-codes/", {"codes-code": current_code(device)})

    html = page.content.decode()
    assert "You have new recovery codes" in html
    new_codes = list(
        StaticToken.objects.filter(device__user=person).values_list("token", flat=True)
    )
    assert len(new_codes) == 10
    assert all(code in html for code in new_codes)
    assert mfa.verify_code(user=person, code=old_codes[0]) is None
    assert mfa.verify_code(user=person, code=new_codes[0]) is not None


def test_new_recovery_codes_need_a_code_from_the_app_not_a_recovery_code() -> None:
    person, _, client, old_codes = client_with_app(Role.APPLICANT)

    wrong = client.post("/en/account/security/recovery-codes/", {"codes-code": "000000"})
    recovery = client.post("/en/account/security/recovery-codes/", {"codes-code": old_codes[0]})

    assert wrong.status_code == recovery.status_code == 400
    assert "gc-error-summary" in wrong.content.decode()
    assert "The code is not right" in wrong.content.decode()
    assert set(StaticToken.objects.filter(device__user=person).values_list("token", flat=True)) == (
        set(old_codes)
    )


def test_recovery_codes_are_not_made_on_get() -> None:
    _, _, client, _ = client_with_app(Role.APPLICANT)

    assert client.get("/en/account/security/recovery-codes/").status_code == 405


def test_a_client_turns_the_app_off_with_their_password() -> None:
    person, _, client, _ = client_with_app(Role.APPLICANT)

    wrong = client.post("/en/account/security/remove/", {"current_password": "not it"})
    assert wrong.status_code == 400
    assert "The password is not right" in wrong.content.decode()
    assert mfa.has_confirmed_device(person)

    done = client.post("/en/account/security/remove/", {"current_password": PASSWORD}, follow=True)

    assert "Your authenticator app is off" in done.content.decode()
    assert not mfa.has_confirmed_device(person)
    assert not StaticToken.objects.filter(device__user=person).exists()


def test_staff_cannot_drop_the_second_factor() -> None:
    officer = create_officer()
    create_authenticator(officer)

    with pytest.raises(ValueError, match="cannot remove it"):
        mfa.remove_devices(user=officer)
    assert mfa.has_confirmed_device(officer)


def test_staff_who_remove_their_app_set_up_a_new_one_and_keep_the_old_until_then() -> None:
    officer, old_device, client, _ = client_with_app(Role.OFFICER)

    answer = client.post("/en/account/security/remove/", {"current_password": PASSWORD})

    assert answer["Location"] == "/en/account/security/replace/"
    assert mfa.verify_app_code(user=officer, code=current_code(old_device)) is not None
    page = client.get("/en/account/security/replace/").content.decode()
    assert "Your current app keeps working until the new one is set up." in page
    new_device = TOTPDevice.objects.get(user=officer, confirmed=False)

    done = client.post("/en/account/security/replace/", {"code": current_code(new_device)})

    assert "Your recovery codes" in done.content.decode()
    assert list(TOTPDevice.objects.filter(user=officer)) == [new_device]
    new_device.refresh_from_db()
    assert new_device.confirmed


def test_the_replacement_page_needs_the_password_first() -> None:
    officer, _, client, _ = client_with_app(Role.OFFICER)

    answer = client.get("/en/account/security/replace/")

    assert answer["Location"] == "/en/account/"
    assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()


def test_wrong_passwords_on_the_account_page_count_towards_the_lockout() -> None:
    person, _, client, _ = client_with_app(Role.APPLICANT)
    for _ in range(5):
        client.post("/en/account/security/remove/", {"current_password": "not it"})

    locked = client.post("/en/account/security/remove/", {"current_password": PASSWORD})

    assert locked.status_code == 400
    assert "too many attempts" in locked.content.decode()
    assert mfa.has_confirmed_device(person)
