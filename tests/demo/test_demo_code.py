"""`passage demo_code`: the current code of a demo staff account, and of no other."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.roles import Role
from passage.demo.data import DEMO_TOTP_KEY
from tests.accounts.builders import create_authenticator, current_code
from tests.builders import create_officer, create_user

pytestmark = pytest.mark.django_db


def test_demo_code_prints_the_code_of_a_demo_staff_account(
    capsys: pytest.CaptureFixture[str],
) -> None:
    officer = create_officer(username="officer")
    device = TOTPDevice.objects.create(
        user=officer, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True
    )

    call_command("demo_code", "officer")

    assert capsys.readouterr().out.strip() == current_code(device)


def test_demo_code_refuses_an_account_that_is_not_demo_staff() -> None:
    create_authenticator(create_user(Role.APPLICANT, username="amelie"))

    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("demo_code", "amelie")


def test_demo_code_refuses_a_demo_name_whose_app_has_another_secret() -> None:
    create_authenticator(create_officer(username="officer"))

    with pytest.raises(CommandError):
        call_command("demo_code", "officer")
