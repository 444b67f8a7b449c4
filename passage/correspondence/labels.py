"""The categories officers gave client email, written as training data: each email an
officer corrected or answered, in the corpus's JSON lines, for `passage mail train
--labels`. The file holds clients' own words: keep it with the department's data, never
in the repository."""

import json
from pathlib import Path

from passage.correspondence.models import EmailAction, InboundEmail

# An answered or closed email keeps the classifier's category: the officer read it and
# left it, which is a label too.
REVIEWED = (
    EmailAction.Kind.CATEGORY_CORRECTED,
    EmailAction.Kind.ANSWERED_IN_MESSAGES,
    EmailAction.Kind.STANDARD_REPLY,
    EmailAction.Kind.DOCUMENTS_ADDED,
    EmailAction.Kind.CLOSED,
)


def write_labels(path: Path) -> int:
    """Write every email an officer reviewed, with its final category; return how many."""
    reviewed = (
        InboundEmail.objects.filter(actions__kind__in=REVIEWED)
        .distinct()
        .order_by("received_at", "pk")
    )
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for email in reviewed.iterator():
            language = email.language or "en"
            line = {
                "id": f"officer-{email.public_id}",
                "language": language,
                "variety": f"{language}-officer",
                "category": email.final_category,
                # Braces would read as the corpus's placeholders.
                "subject": email.subject.replace("{", "(").replace("}", ")"),
                "body": email.text.replace("{", "(").replace("}", ")"),
                "reference": "none",
            }
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count
