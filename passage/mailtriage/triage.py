"""One email read as the spec asks: its language, category, confidence, route and case
reference."""

from dataclasses import dataclass

from passage.mailtriage.language import detect_language
from passage.mailtriage.model import Classifier, shipped
from passage.mailtriage.references import find_reference
from passage.mailtriage.text import split_quoted, text_to_read


@dataclass(frozen=True)
class Triage:
    """What the classifier makes of one email (`shared/spec/email-triage.md`)."""

    language: str
    category: str
    confidence: float
    route: str
    case_reference: str | None

    def as_line(self, email_id: str) -> dict[str, object]:
        """The spec's output line for the email with this id."""
        return {
            "id": email_id,
            "language": self.language,
            "category": self.category,
            "confidence": round(self.confidence, 4),
            "route": self.route,
            "case_reference": self.case_reference,
        }


def triage_all(
    emails: list[tuple[str, str]],
    *,
    threshold: float | None = None,
    classifier: Classifier | None = None,
) -> list[Triage]:
    """Read each (subject, body): `auto` when the classifier's probability for its best
    category reaches the threshold (the model's own when none is given), else `person`."""
    model = classifier or shipped()
    cutoff = model.threshold if threshold is None else threshold
    # The body split once: its own words give the language, and with the subject the text
    # the classifier reads.
    split = [split_quoted(body) for _subject, body in emails]
    texts = [
        text_to_read(subject, *parts) for (subject, _body), parts in zip(emails, split, strict=True)
    ]
    if not texts:
        return []
    probabilities = model.probabilities(texts)
    results = []
    for (subject, body), (own, _quoted), text, row in zip(
        emails, split, texts, probabilities, strict=True
    ):
        best = int(row.argmax())
        # The route follows the confidence as written out, so that the two never disagree.
        confidence = round(float(row[best]), 4)
        results.append(
            Triage(
                language=detect_language(own if own.split() else text),
                category=model.categories[best],
                confidence=confidence,
                route="auto" if confidence >= cutoff else "person",
                case_reference=find_reference(subject, body),
            )
        )
    return results


def triage(subject: str, body: str, *, threshold: float | None = None) -> Triage:
    """Read one email (see `triage_all`)."""
    return triage_all([(subject, body)], threshold=threshold)[0]
