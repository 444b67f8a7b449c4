"""Officers as routing sees them: their skills with proficiency, weekly capacity and leave."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class OfficerProfile(models.Model):
    """How much work an officer takes in a week. Their office is on the person."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    weekly_capacity = models.PositiveIntegerField(
        default=25, help_text=_("Files the officer can carry at once.")
    )

    def __str__(self) -> str:
        return f"{self.officer} ({self.weekly_capacity}/week)"


class Skill(models.Model):
    """Something an officer is qualified for, with a proficiency from 1 (new) to 5 (expert).

    A program skill may name a category (`iec/working-holiday`) or the whole program
    (`iec`); a language skill is `en` or `fr`; a risk area is a slug such as
    `criminality`."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program")
        LANGUAGE = "language", _("Language")
        RISK_AREA = "risk_area", _("Risk area")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=100)
    proficiency = models.PositiveSmallIntegerField(default=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "kind", "value"], name="skill_once"),
            models.CheckConstraint(
                condition=Q(proficiency__gte=1) & Q(proficiency__lte=5),
                name="skill_proficiency_1_to_5",
            ),
        ]
        ordering = ["officer", "kind", "value"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value} ({self.proficiency})"


class Leave(models.Model):
    """Days an officer is away, both inclusive: routing gives them nothing new."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leaves"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="leave_ends_after_it_starts"
            ),
        ]
        ordering = ["officer", "starts_on"]

    def __str__(self) -> str:
        return f"{self.officer} {self.starts_on} to {self.ends_on}"


class RoutingRun(models.Model):
    """One run of the batch optimiser, with what it did."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cases_considered = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    unassigned = models.PositiveIntegerField(default=0)
    total_cost = models.BigIntegerField(default=0)
    stats = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"routing {self.started_at:%Y-%m-%d %H:%M}"


class DocumentAccess(models.Model):
    """One time a staff member opened or downloaded a document of a case: who, which
    document, when, and how. Rows are only ever added (the log of reads stays out of the
    case's event chain, which records changes)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")

    document = models.ForeignKey(
        "intake.Document", on_delete=models.PROTECT, related_name="staff_accesses"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="document_accesses"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_accesses"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    accessed_at = models.DateTimeField()

    class Meta:
        ordering = ["accessed_at", "pk"]
        indexes = [models.Index(fields=["case", "accessed_at"], name="document_access_by_case")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.action} document {self.document_id} at {self.accessed_at}"
