import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from passage.accounts.roles import STAFF_ROLES, Role


class Office(models.Model):
    """A processing office, where officers work and cases are decided."""

    code = models.SlugField(max_length=20, unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="America/Toronto")

    def __str__(self) -> str:
        return self.code


class User(AbstractUser):
    """A person: a client (applicant, sponsor, representative, employer) or staff."""

    preferred_language = models.CharField(
        max_length=2, choices=[("en", "English"), ("fr", "Français")], default="en"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )

    def role_names(self) -> frozenset[str]:
        # Cached per instance: roles are read several times per request.
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names()

    @property
    def is_department_staff(self) -> bool:
        return bool(self.role_names() & {r.value for r in STAFF_ROLES})


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
