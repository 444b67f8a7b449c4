"""The status vocabulary of a case, in one place. English here; French in the catalogue.

Clients, officers, the API and emails all take their wording from this module so that
no two screens can describe the same state differently.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGE = "triage", _("Being sorted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Decided: approved")
    REFUSED = "refused", _("Decided: refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.TRIAGE, CaseStatus.IN_REVIEW})
DECIDED_STATUSES = frozenset({CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN})


class Step(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Eligibility")
    BACKGROUND = "background", _("Background check")
    MEDICAL = "medical", _("Medical exam")
    BIOMETRICS = "biometrics", _("Biometrics")


class StepState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    WAITING_ON_YOU = "waiting_on_you", _("Waiting on you")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    EXEMPTED = "exempted", _("Exempted")


FINISHED_STEP_STATES = frozenset({StepState.COMPLETED, StepState.EXEMPTED})


class EventKind(models.TextChoices):
    SUBMITTED = "application.submitted", _("We received your application")
    TRIAGE_STARTED = "triage.started", _("We started sorting your application")
    REVIEW_STARTED = "review.started", _("An officer review started")
    STEP_RECORDED = "step.recorded", _("A step of your application changed")
    APPROVED = "case.approved", _("A decision was made: approved")
    REFUSED = "case.refused", _("A decision was made: refused")
    WITHDRAWN = "case.withdrawn", _("The application was withdrawn")
    ACCESS_GRANTED = "access.granted", _("Someone was given access to the application")
    ACCESS_REVOKED = "access.revoked", _("Someone's access to the application ended")


class ActorRole(models.TextChoices):
    """Who an event was done by: a role a person acted in, or the system itself."""

    SYSTEM = "system", _("Passage (automated)")
    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
