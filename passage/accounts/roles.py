"""The roles a person can hold. Each role is a Django auth group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
    EMPLOYER = "employer", _("Employer")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Policy analyst")


CLIENT_ROLES = frozenset({Role.APPLICANT, Role.SPONSOR, Role.REPRESENTATIVE, Role.EMPLOYER})
STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ANALYST})
