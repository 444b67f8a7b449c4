"""Multi-factor authentication with django-otp: an authenticator app (TOTP) and recovery
codes (a static device), the second step at sign-in, and the one rule that staff pages
call: staff sign in with a second factor.

The second step keeps the person signed out until the code is right: the password step
leaves only a note in the session (who, where to go next, when), which the code step
turns into a real sign-in.
"""

from base64 import b32encode
from datetime import datetime
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.accounts.models import User

RECOVERY_CODE_COUNT = 10
PENDING_KEY = "passage_mfa_pending"
# The time a person has to type the code after the password, in seconds.
PENDING_SECONDS = 300


def has_confirmed_device(user: User) -> bool:
    return bool(django_otp.user_has_device(user, confirmed=True))


def totp_device_to_confirm(*, user: User) -> TOTPDevice:
    """The authenticator-app device being set up, created on first use with a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no outside service sees it)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if the code is right, and return new recovery codes, the only
    time they are visible; None if the code is wrong."""
    if device.user_id != user.pk or not device.verify_token(_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One app per person: a new app replaces the one before it, here and not earlier, so
    # that someone replacing theirs is never left without one.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return replace_recovery_codes(user=user)


def replace_recovery_codes(*, user: User) -> list[str]:
    """Make a new set of single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_code(*, user: User, code: str) -> Device | None:
    """The confirmed device (app or recovery codes) that accepts the code, if any."""
    device = django_otp.match_token(user, _clean(code))
    return device if isinstance(device, Device) else None


def verify_app_code(*, user: User, code: str) -> TOTPDevice | None:
    """The confirmed authenticator app that accepts the code, if any (recovery codes are
    not accepted: they prove less than the app in hand)."""
    token = _clean(code)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def remove_devices(*, user: User) -> None:
    """Turn the second factor off: the app and the recovery codes. Staff must not end up
    without one, so this refuses them; they replace their app instead."""
    if user.must_use_mfa:
        raise ValueError("staff replace their authenticator app, they cannot remove it")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def mark_verified(request: HttpRequest, device: Device) -> None:
    """Record in the session that this sign-in passed the second factor."""
    django_otp.login(request, device)


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


# --- The second step at sign-in ----------------------------------------------------------


def begin_second_step(request: HttpRequest, *, user: User, next_url: str, now: datetime) -> None:
    """The password was right and the person has a device: remember them for the code step."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "at": now.timestamp(),
    }


def pending_sign_in(request: HttpRequest, *, now: datetime) -> tuple[User, dict[str, Any]] | None:
    """The person between the password and the code, while the step is still open."""
    pending = request.session.get(PENDING_KEY)
    if not pending or now.timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def finish_second_step(request: HttpRequest, *, user: User, device: Device) -> str:
    """Sign the person in, verified, and return where they were going."""
    pending = request.session.pop(PENDING_KEY)
    login(request, user, backend=pending["backend"])
    mark_verified(request, device)
    return str(pending["next"])


def abandon_second_step(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


# --- The rule for staff ------------------------------------------------------------------


def staff_verification_response(request: HttpRequest) -> HttpResponse | None:
    """For a staff page: None when the person may go on, else where they must go first.
    Staff without a confirmed device are sent to set one up; staff with one whose session
    did not pass the second factor are asked for a code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    assert isinstance(user, User)
    if not user.must_use_mfa or is_verified(request):
        return None
    return redirect(f"{reverse('accounts:mfa')}?{urlencode({'next': request.get_full_path()})}")


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed a second factor (set by django-otp's middleware)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())
