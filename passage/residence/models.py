"""One person's confirmation of permanent residence, its photos, the eCOPR issued to them,
who downloaded it, and the card-production batches. The case's event log keeps every step
(`EventKind.RESIDENCE_*`); these rows are what the pages read."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from passage.intake.models import StoredFile
from passage.residence.states import ConfirmationState


class CardBatch(models.Model):
    """Confirmed permanent residents whose card a card producer makes: the file sent to
    the producer (photos, fields, addresses) is kept by its SHA-256."""

    reference = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    storage_key = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return self.reference


class Confirmation(models.Model):
    """One person on an approved case who becomes a permanent resident in Canada."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="residence_confirmations"
    )
    # 0 for the principal applicant, then each dependant in the order of the answers.
    position = models.PositiveSmallIntegerField()
    given_names = models.CharField(max_length=300)
    family_name = models.CharField(max_length=300)
    date_of_birth = models.DateField()
    # Where the principal applicant is invited; dependants are acted for by them.
    email = models.EmailField(max_length=254, blank=True)
    # The account that acts for this person once the invitation is taken up.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residence_confirmations",
    )
    state = models.CharField(
        max_length=20, choices=ConfirmationState.choices, default=ConfirmationState.INVITED
    )
    state_changed_at = models.DateTimeField()
    invited_at = models.DateTimeField()
    # 180 days for the photo and the address, as set at the invitation (`set_due_at`) and
    # as relief by rule moved it for the outages of Passage that touched it (`due_at`).
    set_due_at = models.DateTimeField()
    due_at = models.DateTimeField()
    relief_outages = models.JSONField(default=list, blank=True)
    # The client's part: the declaration, the address, the photo.
    presence_declared_at = models.DateTimeField(null=True, blank=True)
    presence_city = models.CharField(max_length=100, blank=True)
    presence_province = models.CharField(max_length=2, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    address_city = models.CharField(max_length=100, blank=True)
    address_province = models.CharField(max_length=2, blank=True)
    address_postal_code = models.CharField(max_length=7, blank=True)
    address_given_at = models.DateTimeField(null=True, blank=True)
    photo = models.ForeignKey(
        "residence.ResidencePhoto",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    # What the COPR states beyond the names and date of birth; an officer completes it.
    uci = models.CharField(max_length=12, blank=True)
    place_of_birth = models.CharField(max_length=300, blank=True)
    country_of_birth = models.CharField(max_length=2, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    citizenship = models.CharField(max_length=2, blank=True)
    travel_document_number = models.CharField(max_length=30, blank=True)
    travel_document_country = models.CharField(max_length=2, blank=True)
    travel_document_expiry = models.DateField(null=True, blank=True)
    remarks = models.TextField(blank=True)
    # The officer's part: the virtual landing.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    became_resident_on = models.DateField(null=True, blank=True)
    document_number = models.CharField(max_length=20, null=True, blank=True, unique=True)
    # The eCOPR's place in the public revocation list.
    status_index = models.PositiveIntegerField(null=True, blank=True, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    card_batch = models.ForeignKey(
        CardBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="confirmations"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="confirmation_position"),
            models.CheckConstraint(
                condition=Q(state__in=ConfirmationState.values), name="confirmation_state_known"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | (Q(confirmed_by__isnull=False) & Q(document_number__isnull=False)),
                name="confirmation_by_an_officer_with_a_document",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="confirmation_by_state"),
            models.Index(fields=["email"], name="confirmation_by_email"),
        ]
        ordering = ["case", "position"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.position}"

    @property
    def is_principal(self) -> bool:
        return self.position == 0


class ResidencePhoto(StoredFile):
    """A photo a client uploaded for a confirmation, with what the checks found."""

    confirmation = models.ForeignKey(Confirmation, on_delete=models.PROTECT, related_name="photos")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by_checks = models.BooleanField()
    # Each check as {"code", "measured", "min", "max"}, failures and passes apart.
    failures = models.JSONField(default=list)
    passes = models.JSONField(default=list)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)

    class Meta(StoredFile.Meta):
        ordering = ["confirmation", "uploaded_at"]


class Ecopr(StoredFile):
    """A signed eCOPR as issued; it is served as it was signed, never drawn again."""

    confirmation = models.ForeignKey(Confirmation, on_delete=models.PROTECT, related_name="ecoprs")
    issued_at = models.DateTimeField()

    class Meta(StoredFile.Meta):
        ordering = ["confirmation", "issued_at"]
        # The public verification page finds a file sent to it by its hash.
        indexes = [models.Index(fields=["sha256"], name="ecopr_by_sha256")]


class EcoprDownload(models.Model):
    """Every download of an eCOPR, by whom and when: append-only."""

    ecopr = models.ForeignKey(Ecopr, on_delete=models.PROTECT, related_name="downloads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.ecopr_id} {self.at:%Y-%m-%d %H:%M}"
