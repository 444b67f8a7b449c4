import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from passage.accounts.roles import STAFF_ROLES, Role
from passage.languages import active_language


def new_session_salt() -> str:
    return secrets.token_hex(16)


class Office(models.Model):
    """A processing office, where officers work and cases are decided."""

    code = models.SlugField(max_length=20, unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="America/Toronto")
    # Files the office can take on in a week across its officers; empty: no office limit.
    weekly_intake = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        """The office's name in `language` ("en" or "fr")."""
        return self.name_fr if language == "fr" else self.name_en

    @property
    def display_name(self) -> str:
        """The office's name in the language of the page being drawn."""
        return self.name(active_language())


class User(AbstractUser):
    """A person: a client (applicant, sponsor, representative, employer) or staff."""

    preferred_language = models.CharField(
        max_length=2, choices=[("en", "English"), ("fr", "Français")], default="en"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # The zone the person reads times in (`accounts/time_zones.py`); empty: their office's
    # for staff with one, else the service's.
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # How the department reaches a client besides email; blank until they give them.
    phone = models.CharField(max_length=40, blank=True, default="")
    mailing_address = models.TextField(max_length=500, blank=True, default="")
    # Set when the person proves they read the address (the sign-up link). Accounts made
    # by the department (staff, the demo) are trusted as they are and keep it empty.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Part of every session's signature: a new value ends all the person's sessions.
    session_salt = models.CharField(max_length=32, default=new_session_salt, editable=False)

    def role_names(self) -> frozenset[str]:
        # Cached per instance: roles are read several times per request (and come with
        # the person where the request's own reads load them, see request_reads).
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names()

    @property
    def is_department_staff(self) -> bool:
        return bool(self.role_names() & {r.value for r in STAFF_ROLES})

    @property
    def must_use_mfa(self) -> bool:
        """Staff, and anyone who can open the admin, sign in with a second factor."""
        return self.is_department_staff or self.is_staff or self.is_superuser

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django signs each session with the password hash; the salt lets a person end
        # every session ("sign out everywhere") without changing their password.
        key_salt = "passage.accounts.models.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, self.password + self.session_salt, secret=secret, algorithm="sha256"
        ).hexdigest()


class ApiToken(models.Model):
    """A bearer token for API clients (mobile apps, partner agencies). Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @staticmethod
    def hash(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()


class ContactChange(models.Model):
    """One change a person made to their contact details on the account page: the fields
    that changed with their new values (the codes of `contact_details.DETAIL_LABELS`).
    Kept under the form's idempotency key, so that a form sent again acts once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_changes")
    idempotency_key = models.CharField(max_length=255)
    changes = models.JSONField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="contact_change_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} changed {', '.join(self.changes)} at {self.at:%Y-%m-%d %H:%M}"


class SignInAttempt(models.Model):
    """One try at signing in (a password or a second-factor code), kept to lock an account
    name or an address after repeated failures. The name is stored as typed, lowercased,
    whether or not an account has it, so that a lock says nothing about who has an account.
    Tries from a browser the name signed in from before count apart from all others."""

    username = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The browser the try came from, when it showed this name's device cookie (a browser
    # the name signed in from before: `accounts/devices.py`); empty for any other.
    device = models.CharField(max_length=32, blank=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "device", "-at"], name="sign_in_attempt_device"),
            models.Index(fields=["username", "-at"], name="sign_in_attempt_username"),
            models.Index(fields=["ip_address", "-at"], name="sign_in_attempt_ip"),
        ]

    def __str__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return f"{self.username} {outcome} at {self.at:%Y-%m-%d %H:%M}"


class SignUpAttempt(models.Model):
    """One sign-up sent from an address, kept to refuse an address that signs up too often
    (PASSAGE_SIGN_UPS_PER_CLIENT_ADDRESS_PER_HOUR). Rows rather than a cache, so that every
    web process counts the same attempts."""

    ip_address = models.GenericIPAddressField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ip_address", "-at"], name="sign_up_attempt_ip")]

    def __str__(self) -> str:
        return f"sign-up from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"


class RequestCount(models.Model):
    """How many requests of one kind one client (an address, a person, an API token) sent
    in one window of time, to answer 429 past a limit (`accounts/throttling.py`). Rows
    rather than a cache, so that every web process counts the same requests."""

    key = models.CharField(max_length=160)
    window_start = models.BigIntegerField()  # Unix time, seconds
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="request_count_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="request_count_age")]

    def __str__(self) -> str:
        return f"{self.key} {self.count} from {self.window_start}"
