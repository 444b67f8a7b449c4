"""`passage demo_code`: the current code of a demo staff account, and of no other."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.roles import Role
from passage.demo.data import DEMO_DEVICE_NAME
from passage.demo.load import load_demo
from tests.accounts.builders import create_authenticator
from tests.builders import create_officer, create_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


def codes_of_now(device: TOTPDevice) -> set[str]:
    """The code the app shows now, and the one before in case the step turned meanwhile."""
    codes = (
        totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
        for drift in (0, -1)
    )
    return {f"{code:0{device.digits}d}" for code in codes}


def test_demo_code_prints_the_code_of_each_demo_staff_accounts_own_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_demo(size=0, now=NOW)

    for username in ("officer", "supervisor", "analyst", "admin"):
        device = TOTPDevice.objects.get(user__username=username, name=DEMO_DEVICE_NAME)
        call_command("demo_code", username)
        assert capsys.readouterr().out.strip() in codes_of_now(device), username


def test_demo_code_prints_the_code_of_a_demo_name_with_the_demo_authenticator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    officer = create_officer(username="officer")
    device = TOTPDevice.objects.create(user=officer, name=DEMO_DEVICE_NAME, confirmed=True)

    call_command("demo_code", "officer")

    assert capsys.readouterr().out.strip() in codes_of_now(device)


def test_demo_code_refuses_an_account_that_is_not_demo_staff() -> None:
    create_authenticator(create_user(Role.APPLICANT, username="amelie"))

    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("demo_code", "amelie")


def test_demo_code_refuses_a_demo_name_whose_app_is_not_the_demo_one() -> None:
    create_authenticator(create_officer(username="officer"))

    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("demo_code", "officer")
