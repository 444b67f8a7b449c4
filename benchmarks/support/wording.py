"""The English wording of Passage's statuses, steps and events (passage/cases/status.py,
the tracker's templates), for the bare endpoints: they answer what Passage answers to a
request that asks for no language, without Django's translation machinery."""

STATUS_LABELS = {
    "received": "Received",
    "triage": "Being sorted",
    "in_review": "In review",
    "approved": "Decided: approved",
    "refused": "Decided: refused",
    "withdrawn": "Withdrawn",
}
STATUS_EXPLANATIONS = {
    "received": "We have your application. It waits to be sorted.",
    "triage": "We are checking your application against the program's rules to see whether "
    "it needs an officer.",
    "in_review": "We are processing your application. The steps below show where it is.",
    "approved": "Your application was approved.",
    "refused": "An officer refused your application. The decision letter in your messages "
    "gives the reasons.",
    "withdrawn": "The application was withdrawn. Nothing more happens on it.",
}
STEP_LABELS = {
    "eligibility": "Eligibility",
    "background": "Background check",
    "medical": "Medical exam",
    "biometrics": "Biometrics",
}
STATE_LABELS = {
    "not_started": "Not started",
    "waiting_on_you": "Waiting on you",
    "in_progress": "In progress",
    "completed": "Completed",
    "exempted": "Exempted",
}
EVENT_LABELS = {
    "application.submitted": "We received your application",
    "triage.started": "We started sorting your application",
    "review.started": "An officer review started",
    "step.recorded": "A step of your application changed",
    "case.approved": "A decision was made: approved",
    "case.refused": "A decision was made: refused",
    "case.withdrawn": "The application was withdrawn",
    "access.granted": "Someone was given access to the application",
    "access.revoked": "Someone's access to the application ended",
    "documents.requested": "We asked you for documents",
    "documents.received": "We received the documents we asked for",
    # Internal: only department staff get these.
    "triage.assessed": "Eligibility rules assessed the file",
    "case.assigned": "The file was assigned to an officer",
    "case.unassigned": "The file was returned to the queue",
    "work.started": "An officer started work on the file",
    "note.added": "An officer added a note",
    "quality.reviewed": "A blind quality review was recorded",
}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
