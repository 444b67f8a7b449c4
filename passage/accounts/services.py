"""Writes about people: accounts, roles, API tokens, sign-up and verification, sign-in
attempts, sessions and password reset. Multi-factor devices are in `passage.accounts.mfa`."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from passage import errors
from passage.accounts import selectors, time_zones
from passage.accounts.mfa import has_confirmed_device
from passage.accounts.models import (
    ApiToken,
    Office,
    SignInAttempt,
    SignUpAttempt,
    User,
    new_session_salt,
)
from passage.accounts.roles import Role
from passage.idempotency import check_key
from passage.outbox.links import absolute_url, sign_in_url
from passage.outbox.references import UnresolvedSecret, secret_reference
from passage.outbox.services import queue_email


@transaction.atomic
def create_person(
    *,
    username: str,
    email: str,
    password: str | None,
    roles: list[Role],
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "en",
    office: Office | None = None,
) -> User:
    """Create a person with the given roles. `password=None` makes an account that
    cannot sign in with a password (a service account)."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
        office=office,
        is_staff=any(role in (Role.SUPERVISOR,) for role in roles),
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    grant_roles(user=user, roles=roles)
    return user


def grant_roles(*, user: User, roles: list[Role]) -> None:
    """Add the person to each role's group, creating the group on first use."""
    for role in roles:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    if hasattr(user, "_role_names"):
        del user._role_names


def issue_api_token(*, user: User, name: str) -> str:
    """Create an API token and return it in clear: the only time it is visible. Staff get
    one only once their second factor is enrolled (ValueError otherwise)."""
    if user.must_use_mfa and not has_confirmed_device(user):
        raise ValueError("staff get API tokens only once their second factor is enrolled")
    raw = "psg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_hash=ApiToken.hash(raw))
    return raw


# --- Sign-up and email verification ----------------------------------------------------

SIGN_UP_ROLES = (Role.APPLICANT, Role.SPONSOR, Role.REPRESENTATIVE)
_VERIFY_SALT = "passage.accounts.verify-email"


class VerificationError(errors.InvalidRequest):
    """A verification link that cannot be used: `reason` is "invalid", "expired" or "used"."""

    http_status = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: Role,
    preferred_language: str,
    now: datetime,
    ip_address: str | None = None,
) -> User | None:
    """Open an account that cannot sign in until its email address is verified, and write
    the email with the verification link (on PASSAGE_SITE_URL, in the person's language)
    to the outbox. When the address already has an account, write an email saying so
    instead and return None. Either way the password is hashed and one email is written,
    so neither the page nor its timing tells who has an account; an address that had
    PASSAGE_SIGN_UP_EMAILS_PER_HOUR sign-up emails in the last hour gets none (and no
    account). The sign-up is counted against the client address `ip_address`."""
    if role not in SIGN_UP_ROLES:
        raise ValueError(f"{role} cannot be chosen at sign-up")
    email = User.objects.normalize_email(email).strip()
    if ip_address:
        SignUpAttempt.objects.create(ip_address=ip_address, at=now)
    # Locking the accounts makes two sign-ups at the same moment count one another's emails.
    existing = (
        User.objects.select_for_update()
        .filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )
    capped = selectors.sign_up_emails_sent(email=email, now=now) >= (
        settings.PASSAGE_SIGN_UP_EMAILS_PER_HOUR
    )
    if existing is not None or capped:
        # The same hashing a new account gets, so the answer takes as long (as Django's
        # ModelBackend does for an unknown name).
        make_password(password)
        if existing is not None and not capped:
            _tell_the_owner(existing, to_email=email, now=now)
        return None
    try:
        with transaction.atomic():
            user = create_person(
                username=email.lower(),
                email=email,
                password=password,
                roles=[role],
                first_name=first_name,
                last_name=last_name,
                preferred_language=preferred_language,
            )
    except IntegrityError:
        # Another sign-up for the address committed between the look and the insert (the
        # lock above holds no row yet): answer as for an account that exists.
        owner = User.objects.filter(username__iexact=email).first()
        if owner is not None:
            _tell_the_owner(owner, to_email=email, now=now)
        return None
    user.is_active = False
    user.save(update_fields=["is_active"])
    queue_account_email(
        kind="verify_email",
        to_email=email,
        language=preferred_language,
        template="verify_email",
        context={
            "name": first_name,
            "secret": secret_reference("verify_email", user.pk, int(now.timestamp())),
            "hours": settings.PASSAGE_EMAIL_VERIFICATION_HOURS,
        },
        now=now,
    )
    return user


def _tell_the_owner(owner: User, *, to_email: str, now: datetime) -> None:
    """Write the email that tells an account's owner someone signed up with its address."""
    queue_account_email(
        kind="account_exists",
        to_email=to_email,
        language=owner.preferred_language,
        template="account_exists",
        context={"link": sign_in_url(language=owner.preferred_language)},
        now=now,
    )


def verification_token(*, user: User, now: datetime) -> str:
    """A signed token naming the account, its address and when it was made. The same
    account, address and time always give the same token, so it can be made again when
    the email is sent."""
    issued = int(now.timestamp())
    return _IssuedSigner(issued).sign_object({"u": user.pk, "e": user.email, "t": issued})


class _IssuedSigner(signing.TimestampSigner):
    """`signing.dumps` with the issue time in place of the clock: `signing.loads` reads
    its tokens, and the token does not depend on when it is made."""

    def __init__(self, issued: int) -> None:
        super().__init__(salt=_VERIFY_SALT)
        self._issued = issued

    def timestamp(self) -> str:
        return signing.b62_encode(self._issued)


@transaction.atomic
def verify_email(*, token: str, now: datetime) -> User:
    """Mark the address verified and let the account sign in. A link works once, for
    PASSAGE_EMAIL_VERIFICATION_HOURS; otherwise raise `VerificationError`."""
    try:
        payload = signing.loads(token, salt=_VERIFY_SALT)
    except signing.BadSignature as error:
        raise VerificationError("invalid") from error
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("e"):
        raise VerificationError("invalid")
    if user.email_verified_at is not None:
        raise VerificationError("used")
    made = datetime.fromtimestamp(payload["t"], tz=UTC)
    if now - made > timedelta(hours=settings.PASSAGE_EMAIL_VERIFICATION_HOURS):
        raise VerificationError("expired")
    user.email_verified_at = now
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    return user


def _verification_link(token: str, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("accounts:verify-email", kwargs={"token": token}))


def verification_link_for(parts: list[str], language: str) -> str:
    """The link of a verification email, made when it is sent from its outbox reference
    (the account and the issue time)."""
    user_pk, issued = _reference_numbers(parts)
    user = User.objects.filter(pk=user_pk).first()
    if user is None:
        raise UnresolvedSecret("the account this verification link was for no longer exists")
    token = verification_token(user=user, now=datetime.fromtimestamp(issued, tz=UTC))
    return _verification_link(token, language)


def _reference_numbers(parts: list[str]) -> tuple[int, int]:
    try:
        user_pk, issued = (int(part) for part in parts)
    except ValueError:
        raise UnresolvedSecret(f"not an account and a time: {':'.join(parts)!r}") from None
    return user_pk, issued


def queue_account_email(**fields: Any) -> None:
    """Write an email to the outbox (templates in `passage.outbox.emails`); the
    context holds a name and links, never case content, and for a link with a token only
    a reference to it (`passage.outbox.references`)."""
    queue_email(**fields)


# --- Sign-in attempts and lockout --------------------------------------------------------


def normalize_username(username: str) -> str:
    """The form attempts are counted under: what was typed, trimmed and lowercased."""
    return username.strip().lower()[:254]


def record_sign_in_attempt(
    *, username: str, ip_address: str | None, succeeded: bool, now: datetime, device: str = ""
) -> None:
    """Keep one attempt, whether or not an account has this name, with the known browser
    it came from (`accounts.devices`), if any."""
    SignInAttempt.objects.create(
        username=normalize_username(username),
        ip_address=ip_address or None,
        device=device,
        succeeded=succeeded,
        at=now,
    )


# --- Sessions ----------------------------------------------------------------------------


def sign_out_everywhere(*, user: User) -> None:
    """End every session of the person, on every device, this one included."""
    user.session_salt = new_session_salt()
    user.save(update_fields=["session_salt"])


# --- Preferences -------------------------------------------------------------------------


def set_time_zone(*, user: User, time_zone: str, idempotency_key: str) -> None:
    """The zone the person reads times in, one of `time_zones.CHOICES`. Setting a value
    is idempotent by nature: a replayed form sets the same zone again, so the key is
    checked but no earlier result needs to be kept."""
    check_key(idempotency_key, error=errors.InvalidRequest)
    if time_zone not in time_zones.ZONES:
        raise errors.InvalidRequest(_("Choose one of the time zones in the list."))
    User.objects.filter(pk=user.pk).update(time_zone=time_zone)
    user.time_zone = time_zone


# --- Password reset ----------------------------------------------------------------------


class PasswordResetError(errors.InvalidRequest):
    """A reset link that cannot be used: not right, expired, or already used (the
    password changed since it was made). The three look the same on purpose."""

    http_status = 400


def request_password_reset(*, email: str, now: datetime) -> None:
    """Email a reset link to each active account with this address that has a password,
    unless the address already received PASSAGE_PASSWORD_RESET_EMAILS_PER_HOUR of them in
    the last hour. Nothing tells the caller which happened, so the page cannot say who has
    an account."""
    address = User.objects.normalize_email(email).strip()
    with transaction.atomic():
        # Locking the accounts makes two requests at the same moment count one another.
        people = list(
            User.objects.select_for_update()
            .filter(email__iexact=address, is_active=True)
            .order_by("pk")
        )
        people = [person for person in people if person.has_usable_password()]
        if not people:
            return
        if selectors.password_reset_emails_sent(email=address, now=now) >= (
            settings.PASSAGE_PASSWORD_RESET_EMAILS_PER_HOUR
        ):
            return
        for person in people:
            queue_account_email(
                kind="password_reset",
                to_email=person.email,
                language=person.preferred_language,
                template="password_reset",
                context={
                    "name": person.first_name,
                    "secret": secret_reference("password_reset", person.pk, int(now.timestamp())),
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                },
                now=now,
            )


@transaction.atomic
def reset_password(*, uidb64: str, token: str, password: str, now: datetime) -> User:
    """Set a new password with a reset link, end every session of the person, clear the
    failed sign-ins of the account, and tell the owner by email. The password must already
    be validated (`forms.NewPasswordForm`). Raise `PasswordResetError` for a link that
    cannot be used. The second factor, if any, is still asked at the next sign-in."""
    user = person_for_password_reset(uidb64=uidb64, token=token, now=now, lock=True)
    if user is None:
        raise PasswordResetError
    user.set_password(password)
    user.session_salt = new_session_salt()
    user.save(update_fields=["password", "session_salt"])
    SignInAttempt.objects.filter(
        username=normalize_username(user.username), succeeded=False
    ).delete()
    queue_account_email(
        kind="password_changed",
        to_email=user.email,
        language=user.preferred_language,
        template="password_changed",
        context={"name": user.first_name, "link": sign_in_url(language=user.preferred_language)},
        now=now,
    )
    return user


def password_reset_token(*, user: User, now: datetime) -> str:
    """A token for the reset link: it stops working after PASSWORD_RESET_TIMEOUT seconds,
    and as soon as the password changes (so it works once)."""
    return _ResetTokens(now).make_token(user)


def person_for_password_reset(
    *, uidb64: str, token: str, now: datetime, lock: bool = False
) -> User | None:
    """The active account a reset link is for, while the link works; else None."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    people = User.objects.filter(pk=pk, is_active=True)
    user = (people.select_for_update() if lock else people).first()
    if user is None or not _ResetTokens(now).check_token(user, token):
        return None
    return user


class _ResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens (tied to the password hash, the last sign-in and the
    address), on a clock that is passed in."""

    key_salt = "passage.accounts.services.password-reset"

    def __init__(self, now: datetime) -> None:
        super().__init__()
        # Django counts seconds from a naive 2001-01-01; UTC keeps that unambiguous.
        self._at = now.astimezone(UTC).replace(tzinfo=None)

    def _now(self) -> datetime:
        return self._at


def password_reset_link_for(parts: list[str], language: str) -> str:
    """The link of a reset email, made when it is sent from its outbox reference (the
    account and the issue time): it works from the issue time for PASSWORD_RESET_TIMEOUT
    seconds, and stops as soon as the password changes."""
    user_pk, issued = _reference_numbers(parts)
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.has_usable_password():
        raise UnresolvedSecret("the account this reset link was for no longer exists or is closed")
    kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": password_reset_token(user=user, now=datetime.fromtimestamp(issued, tz=UTC)),
    }
    with translation.override(language):
        return absolute_url(reverse("accounts:password-reset", kwargs=kwargs))
