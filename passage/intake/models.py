from django.conf import settings
from django.db import models
from django.db.models import Q


class Program(models.Model):
    """A line of business that people apply to, such as a work permit or a PR card."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    service_standard_days = models.PositiveIntegerField()
    # Allowed values of Application.category; empty means the program has no categories.
    categories = models.JSONField(default=list, blank=True)
    is_open = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


class Application(models.Model):
    """What a client submitted: typed core fields plus program answers (versioned apart)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    category = models.CharField(max_length=60, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_applications"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    citizenship = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    email = models.EmailField()
    preferred_language = models.CharField(max_length=2, default="en")
    submitted_at = models.DateTimeField()
    # Idempotency: the submitter's key and a hash of the request it came with.
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"], name="application_idempotency_key"
            ),
            models.CheckConstraint(
                condition=Q(citizenship__regex=r"^[A-Z]{2}$"), name="application_citizenship_iso"
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=["en", "fr"]), name="application_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.pk}"


class ApplicationAnswers(models.Model):
    """One version of the program answers. Later versions amend; earlier ones stay."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="answers")
    version = models.PositiveIntegerField()
    answers = models.JSONField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="answers_version"),
        ]
        ordering = ["application", "version"]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version}"


class Document(models.Model):
    """A file attached to an application. The bytes live in storage under `storage_key`."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=60)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40, choices=ContentType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"
