"""Builders for the second factor: a confirmed authenticator app, its current code, and a
test client (or session) that passed it, as a staff member must have."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.models import User


def create_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator app (TOTP device) with a random secret."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the person's app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def verify_session(client: Client, user: User) -> None:
    """Sign the client in as a session that passed the second factor, with the user's
    authenticator app (created if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        create_authenticator(user)
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in_with_mfa(user: User) -> Client:
    client = Client()
    verify_session(client, user)
    return client


def api_token(user: User, name: str = "test") -> str:
    """An API token for the person; staff get their authenticator app first, as they must."""
    from passage.accounts.services import issue_api_token

    if user.must_use_mfa and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        create_authenticator(user)
    return issue_api_token(user=user, name=name)
