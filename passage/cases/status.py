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


# What each status means for the client, in the words of the tracker.
STATUS_EXPLANATIONS = {
    CaseStatus.RECEIVED: _("We have your application. It waits to be sorted."),
    CaseStatus.TRIAGE: _(
        "We are checking your application against the program's rules to see whether it "
        "needs an officer."
    ),
    CaseStatus.IN_REVIEW: _(
        "We are processing your application. The steps below show where it is."
    ),
    CaseStatus.APPROVED: _("Your application was approved."),
    CaseStatus.REFUSED: _(
        "An officer refused your application. The decision letter in your messages gives "
        "the reasons."
    ),
    CaseStatus.WITHDRAWN: _("The application was withdrawn. Nothing more happens on it."),
}

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


class Tier(models.IntegerChoices):
    """How complex triage found a file: 1 routine (eligibility approved by the rules),
    2 an officer completes it, 3 an officer assesses the whole file."""

    ROUTINE = 1, _("Tier 1: routine")
    COMPLETE = 2, _("Tier 2: facts to complete")
    ASSESS = 3, _("Tier 3: full assessment")


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
    DOCUMENTS_REQUESTED = "documents.requested", _("We asked you for documents")
    DOCUMENTS_RECEIVED = "documents.received", _("We received the documents we asked for")
    # A request left unanswered when the application was decided or withdrawn.
    DOCUMENTS_REQUEST_CLOSED = "documents.request_closed", _("A document request was closed")
    # What a client tells the department of their own accord.
    DOCUMENTS_SENT = "documents.sent", _("We received documents you sent")
    DETAILS_CHANGED = "details.changed", _("Contact details were updated")
    INQUIRY_SENT = "inquiry.sent", _("A question about the application was sent")
    # Relief by rule: an outage of Passage moved a due date (or a correction moved it back).
    DEADLINE_MOVED = "deadline.moved", _("A due date moved because of an outage")
    # Confirmation of permanent residence, after an approval: each person on the case who
    # becomes a permanent resident, from the invitation to the card.
    RESIDENCE_INVITED = "residence.invited", _("We invited a person to confirm permanent residence")
    PRESENCE_DECLARED = "residence.presence_declared", _("Presence in Canada was declared")
    RESIDENCE_ADDRESS_GIVEN = "residence.address_given", _("A mailing address in Canada was given")
    RESIDENCE_PHOTO_CHECKED = "residence.photo_checked", _("A photo was checked")
    RESIDENCE_SUBMITTED = "residence.submitted", _("A confirmation was sent for review")
    RESIDENCE_RETURNED = "residence.returned", _("An officer asked for a change to a confirmation")
    RESIDENCE_CONFIRMED = "residence.confirmed", _("Permanent residence was confirmed")
    CARD_ORDERED = "residence.card_ordered", _("The permanent resident card was ordered")
    ECOPR_REVOKED = (
        "residence.ecopr_revoked",
        _("A confirmation of permanent residence was revoked"),
    )
    RESIDENCE_DUE_MOVED = (
        "residence.due_moved",
        _("The date to confirm permanent residence moved because of an outage"),
    )
    # Internal: the department's own work on the file, never shown to clients.
    TRIAGE_ASSESSED = "triage.assessed", _("Eligibility rules assessed the file")
    ASSIGNED = "case.assigned", _("The file was assigned to an officer")
    UNASSIGNED = "case.unassigned", _("The file was returned to the queue")
    WORK_STARTED = "work.started", _("An officer started work on the file")
    NOTE_ADDED = "note.added", _("An officer added a note")
    QUALITY_REVIEWED = "quality.reviewed", _("A blind quality review was recorded")
    CONFLICT_DECLARED = "conflict.declared", _("An officer declared a conflict of interest")
    DEADLINE_FLAGGED = "deadline.flagged", _("An outage touched a time limit set by law")


INTERNAL_EVENT_KINDS = frozenset(
    {
        EventKind.TRIAGE_ASSESSED,
        EventKind.ASSIGNED,
        EventKind.UNASSIGNED,
        EventKind.WORK_STARTED,
        EventKind.NOTE_ADDED,
        EventKind.QUALITY_REVIEWED,
        EventKind.CONFLICT_DECLARED,
        EventKind.DEADLINE_FLAGGED,
    }
)

# The events of the confirmation of permanent residence (`passage/residence/`): they
# follow an approval and leave the case's own columns as they are.
RESIDENCE_EVENT_KINDS = frozenset(
    {
        EventKind.RESIDENCE_INVITED,
        EventKind.PRESENCE_DECLARED,
        EventKind.RESIDENCE_ADDRESS_GIVEN,
        EventKind.RESIDENCE_PHOTO_CHECKED,
        EventKind.RESIDENCE_SUBMITTED,
        EventKind.RESIDENCE_RETURNED,
        EventKind.RESIDENCE_CONFIRMED,
        EventKind.CARD_ORDERED,
        EventKind.ECOPR_REVOKED,
        EventKind.RESIDENCE_DUE_MOVED,
    }
)


class RequestClosure(models.TextChoices):
    """Why a document request closed without an answer: the application it asked for was
    decided (approved or refused) or withdrawn, and nothing more is asked of the client."""

    DECIDED = "decided", _("The application was decided")
    WITHDRAWN = "withdrawn", _("The application was withdrawn")


# A closed request in the client's history, by why it closed.
REQUEST_CLOSED_HISTORY = {
    RequestClosure.DECIDED: _(
        "We no longer need the documents for “%(step)s”: the application was decided."
    ),
    RequestClosure.WITHDRAWN: _(
        "We no longer need the documents for “%(step)s”: the application was withdrawn."
    ),
}

# What the client does for a step that waits on them with no document request open for
# it (an officer set it waiting): a step "Waiting on you" always says what to do.
WAITING_STEP_TO_DO = {
    Step.ELIGIBILITY: _(
        "Read your messages: an officer needs more information to assess your eligibility."
    ),
    Step.BACKGROUND: _(
        "Read your messages: an officer needs more information for your background check."
    ),
    Step.MEDICAL: _(
        "Have your medical exam with a panel physician. Your messages say how to book it."
    ),
    Step.BIOMETRICS: _(
        "Give your fingerprints and photo at a biometrics collection point. Your messages "
        "say where and by when."
    ),
}
# A step with a document request open: the request says which documents and by when.
WAITING_STEP_SEND_DOCUMENTS = _("Send the documents we asked for by the due date.")
# A step left waiting on the client when the application was decided or withdrawn: it
# asks nothing more of them.
NOT_NEEDED_STEP_STATE = "not_needed"
NOT_NEEDED_STEP_LABEL = _("No longer needed")


class ActorRole(models.TextChoices):
    """Who an event was done by: a role a person acted in, or the system itself."""

    SYSTEM = "system", _("Passage (automated)")
    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


# The roles in which a person acts as the department on a case.
STAFF_ACTOR_ROLES = frozenset({ActorRole.OFFICER, ActorRole.SUPERVISOR})

# The steps of a case that concern its sponsor; the others concern the sponsored person.
SPONSOR_STEPS = frozenset({Step.ELIGIBILITY})


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
