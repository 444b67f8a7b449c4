"""The letters the department issues. A decision letter is written once, when the decision
is recorded, in both languages, from the template version then in force: what the client
was sent never changes when a template does."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DecisionLetter(models.Model):
    """The letter of one decision or withdrawal: its two texts as issued (in the letter
    markup of `letters.markup`), the template version they came from, and the day by
    which the client can act on it."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval")
        REFUSAL = "refusal", _("Refusal")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    event = models.OneToOneField("cases.CaseEvent", on_delete=models.PROTECT, related_name="letter")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    template_version = models.PositiveSmallIntegerField()
    # The client's language: the PDF gives it first, the other after it.
    language = models.CharField(max_length=2)
    issued_at = models.DateTimeField()
    # The last day of the client's recourse (a refusal), or None.
    respond_by = models.DateField(null=True, blank=True)
    body_en = models.TextField()
    body_fr = models.TextField()
    # SHA-256 of the two texts as issued, so that a changed row shows.
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="decisionletter_sha256"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["en", "fr"]), name="decisionletter_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} letter v{self.template_version} ({self.public_id})"

    def body(self, language: str) -> str:
        """The letter's text in `language` ("fr" or "en")."""
        return self.body_fr if language == "fr" else self.body_en
