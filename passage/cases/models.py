import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from passage.cases.status import (
    ActorRole,
    CaseStatus,
    EventKind,
    PartyRole,
    RequestClosure,
    Step,
    StepState,
    Tier,
)

GENESIS_HASH = "0" * 64


def _step_field() -> "models.CharField[str, str]":
    return models.CharField(max_length=20, choices=StepState.choices, default=StepState.NOT_STARTED)


class Case(models.Model):
    """The file an application opens. Its columns are a projection of its event log."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    application = models.OneToOneField(
        "intake.Application", on_delete=models.PROTECT, related_name="case"
    )
    program = models.ForeignKey("intake.Program", on_delete=models.PROTECT, related_name="cases")
    # Copied from the application so that queues filter and route on the case row alone.
    category = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=2, default="en")
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    status_changed_at = models.DateTimeField()
    received_at = models.DateTimeField()
    eligibility = _step_field()
    eligibility_changed_at = models.DateTimeField(null=True, blank=True)
    background = _step_field()
    background_changed_at = models.DateTimeField(null=True, blank=True)
    medical = _step_field()
    medical_changed_at = models.DateTimeField(null=True, blank=True)
    biometrics = _step_field()
    biometrics_changed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    # Set by triage: complexity, the risk area an officer needs a skill in, and whether
    # the file was sampled for blind quality review (its officer does not see the outcome).
    tier = models.PositiveSmallIntegerField(null=True, blank=True, choices=Tier.choices)
    risk_area = models.CharField(max_length=40, blank=True)
    blind_review = models.BooleanField(default=False)
    # Who works the file: routing assigns it, the officer starts it; a started file stays.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # A person (a supervisor) chose the officer: routing leaves the file with them until a
    # person moves it or the officer cannot hold it (docs/operations.md, routing).
    assignment_pinned = models.BooleanField(default=False)
    work_started_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every command bumps it; a stale expected version is a 409.
    version = models.PositiveIntegerField(default=0)
    last_event_sequence = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [
            # Only a named person can refuse, and never without reasons.
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.REFUSED)
                | (Q(decided_by__isnull=False) & ~Q(decision_reasons="")),
                name="case_refusal_by_a_person_with_reasons",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=Q(work_started_at__isnull=True) | Q(assigned_to__isnull=False),
                name="case_started_by_its_officer",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status", "received_at"], name="case_program_status"),
            # "Next case": the shared queue, oldest first; skills filter along the scan.
            models.Index(
                fields=["received_at", "id"],
                condition=Q(
                    status=CaseStatus.IN_REVIEW,
                    work_started_at__isnull=True,
                    assigned_to__isnull=True,
                ),
                name="case_ready_for_officer",
            ),
            models.Index(
                fields=["assigned_to", "received_at"],
                condition=Q(assigned_to__isnull=False),
                name="case_by_officer",
            ),
            # "Next file": the files routed to an officer that they have not started.
            models.Index(
                fields=["assigned_to", "received_at", "id"],
                condition=Q(
                    status=CaseStatus.IN_REVIEW,
                    work_started_at__isnull=True,
                    assigned_to__isnull=False,
                ),
                name="case_routed_to_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One entry of a case's append-only log, hash-chained to the entry before it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=20, choices=ActorRole.choices)
    occurred_at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    ruleset_version = models.CharField(max_length=80, blank=True)
    # NULL, not "", for events without a key: the partial unique index skips NULLs.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    previous_hash = models.CharField(max_length=64)
    # HMAC-SHA256 under the audit key named `hash_key` (cases/chain.py).
    hash = models.CharField(max_length=64)
    hash_key = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="event_sequence_per_case"),
            models.UniqueConstraint(
                fields=["case", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="event_idempotency_key_per_case",
            ),
            # The database itself refuses a refusal by the system or by anyone not an officer.
            models.CheckConstraint(
                condition=~Q(kind=EventKind.REFUSED)
                | (Q(actor_role=ActorRole.OFFICER) & Q(actor__isnull=False)),
                name="event_refusal_only_by_an_officer",
            ),
            models.CheckConstraint(
                condition=~Q(actor_role=ActorRole.SYSTEM) | Q(actor__isnull=True),
                name="event_system_actor_is_no_person",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="event_sequence_positive"),
            # One "next file" claim per officer and key: a repeat finds the file it took.
            models.UniqueConstraint(
                fields=["actor", "idempotency_key"],
                condition=Q(kind=EventKind.WORK_STARTED),
                name="event_claim_key",
            ),
        ]

        ordering = ["case", "sequence"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Case events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Case events are append-only and cannot be deleted.")


class CaseParty(models.Model):
    """A person with a client-side role on a case. Access ends the moment it is revoked."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_parties"
    )
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    # For a representative: the part of the case they act for, the one of the client who
    # authorised them (the applicant's whole case, or a sponsor's sponsorship part).
    acts_for = models.CharField(max_length=20, choices=PartyRole.choices, blank=True)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"],
                condition=Q(revoked_at__isnull=True),
                name="party_active_once",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("granted_at")),
                name="party_revoked_after_granted",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "case"],
                condition=Q(revoked_at__isnull=True),
                name="party_active_by_person",
            ),
            # Conflicts of interest: any party row, revoked or not, of a person on a case.
            models.Index(fields=["person", "case"], name="party_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.role} of {self.case_id}"


class DeclaredConflict(models.Model):
    """A conflict of interest an officer declared on a file: a relative, a friend, a former
    client. They may not act as staff on that file, nor on any file the client named in
    it is a party to (`cases/conflicts.py`)."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("A relative or someone in my household")
        PERSONAL = "personal", _("A friend or someone I know personally")
        FORMER_CLIENT = "former_client", _("A former client, employer or business relation")
        OTHER = "other", _("Another reason")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declared_conflicts"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="declared_conflicts")
    # The client the conflict is with (the file's applicant, or its sponsor for a
    # sponsorship): every file they are a party to is out of the officer's reach too.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["officer", "case"], name="conflict_by_officer_case"),
            models.Index(fields=["officer", "client"], name="conflict_by_officer_client"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} conflicted on {self.case_id}"


class DocumentRequestQuerySet(models.QuerySet["DocumentRequest"]):
    def open(self) -> "DocumentRequestQuerySet":
        """The requests neither answered nor closed: what the client is still asked."""
        return self.filter(answered_at__isnull=True, closed_at__isnull=True)


class DocumentRequest(models.Model):
    """Documents an officer asked the client for, by a due date. The step it belongs to
    waits on the client until the request is answered. A request still open when the
    application is decided or withdrawn is closed with it: nothing more is asked."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="document_requests")
    step = models.CharField(max_length=20, choices=Step.choices)
    items = models.JSONField()
    message = models.TextField(blank=True)
    # The day the client has now: the day set, or a later one an outage moved it to
    # (`continuity`), with each move an event on the case.
    due_on = models.DateField()
    # The day the officer set, kept so that relief is always computed from it.
    set_due_on = models.DateField(null=True, blank=True)
    # A limit set by law, which no outage can move: an outage that touches it is flagged
    # to the officer instead.
    statutory = models.BooleanField(default=False)
    # The outages that moved `due_on` (or, for a statutory limit, touched it: then
    # `relief_flagged`), and how many times relief changed the request: each change is
    # made once, under a key of that count.
    relief_outages = models.JSONField(default=list, blank=True)
    relief_flagged = models.BooleanField(default=False)
    relief_version = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_because = models.CharField(max_length=20, choices=RequestClosure.choices, blank=True)

    objects = DocumentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["case", "requested_at"]
        constraints = [
            # A request ends once: answered, or closed with its reason.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_because="")
                | (Q(closed_at__isnull=False, answered_at__isnull=True) & ~Q(closed_because="")),
                name="document_request_closed_once_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} by {self.due_on}"

    @property
    def is_open(self) -> bool:
        """Neither answered nor closed: the client is still asked for these documents."""
        return self.answered_at is None and self.closed_at is None
