import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from passage.languages import in_language


class Program(models.Model):
    """A line of business that people apply to, such as a work permit or a PR card."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    service_standard_days = models.PositiveIntegerField()
    # Allowed values of Application.category; empty means the program has no categories.
    categories = models.JSONField(default=list, blank=True)
    is_open = models.BooleanField(default=True)
    # Criterion id -> risk area (an officer skill) a file needs when the criterion does not pass.
    risk_areas = models.JSONField(default=dict, blank=True)
    # Codes of the offices that may process the program; empty means any office.
    processing_offices = models.JSONField(default=list, blank=True)
    # The party the person who applies becomes: the applicant, or for a sponsorship the
    # sponsor (who then sees the sponsorship part of the case).
    submitter_role = models.CharField(max_length=20, default="applicant")

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        return in_language(self.name_en, self.name_fr, language)


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
    # ISO 3166-1 alpha-2; blank only on a paper form whose document does not ask it.
    citizenship = models.CharField(max_length=2, blank=True)
    email = models.EmailField(blank=True)  # blank only on a paper form sent without one
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
                condition=Q(citizenship__regex=r"^([A-Z]{2})?$"), name="application_citizenship_iso"
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


class StoredFile(models.Model):
    """A file someone sent, as every table that keeps one holds it: its name as sent, its
    checked type, size and SHA-256, and the key of its bytes in storage (named by their
    hash, so that the same bytes sent twice are stored once). Application documents,
    draft documents and message attachments are all stored files, checked by
    `intake.documents.check_document`, then scanned and stored one way by
    `intake.documents.stored_for_request`."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40, choices=ContentType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=255)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="%(class)s_sha256"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="%(class)s_not_empty"),
        ]


class Document(StoredFile):
    """A file attached to an application. The bytes live in storage under `storage_key`."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=60)
    # What the client said it is, for a document they sent that nobody asked for.
    description = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta(StoredFile.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class Draft(models.Model):
    """Answers to a program's questions, saved page by page until the person submits.

    The draft lives on the server, so a person who signs out or whose session ends
    resumes where they were. `version` rises with every save (optimistic concurrency:
    two tabs cannot silently overwrite each other); `case` is set once, on submission,
    and a submitted draft no longer changes. Its documents are DraftDocument rows.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="drafts")
    category = models.CharField(max_length=60, blank=True)
    # Question id -> answer in its interchange shape (see passage/intake/flows/engine.py).
    answers = models.JSONField(default=dict, blank=True)
    current_page = models.CharField(max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="draft"
    )
    # The representative who prepares the draft for its owner, the client; empty when the
    # client applies themselves.
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts_prepared",
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_recent")]

    def __str__(self) -> str:
        return f"{self.program_id} draft {self.public_id}"

    @property
    def submitted(self) -> bool:
        return self.case_id is not None


class DraftDocument(StoredFile):
    """A file uploaded to a draft for one item of the program's checklist. The bytes are
    in storage under `storage_key` (named by their hash) before the row is written."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=60)
    uploaded_at = models.DateTimeField()

    class Meta(StoredFile.Meta):
        ordering = ["draft", "kind", "uploaded_at"]
        constraints = [
            *StoredFile.Meta.constraints,
            models.UniqueConstraint(
                fields=["draft", "kind", "sha256"], name="draft_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename} ({self.sha256[:12]})"


class Representation(models.Model):
    """A client's authorisation for a representative (a lawyer, a notary, a licensed
    consultant, or someone unpaid) to apply and act for them.

    The client records it and can revoke it; from the moment `revoked_at` is set the
    representative no longer reaches the client's drafts or cases.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clients_represented"
    )
    # The representative's membership number with their regulator (CICC, a law society
    # or the Chambre des notaires); empty for an unpaid representative.
    membership_number = models.CharField(max_length=40, blank=True)
    authorised_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-authorised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "representative"],
                condition=Q(revoked_at__isnull=True),
                name="representation_one_active",
            ),
            models.CheckConstraint(
                condition=~Q(client=models.F("representative")), name="representation_not_self"
            ),
        ]
        indexes = [
            models.Index(
                fields=["representative", "client"],
                condition=Q(revoked_at__isnull=True),
                name="representation_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} for {self.client_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
