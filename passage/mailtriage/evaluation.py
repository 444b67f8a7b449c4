"""The classifier measured on emails it was not trained on, per language: the language
found, each category's precision, recall and F1, the macro-F1, how many emails were
routed automatically and how many of those were right, and the references found."""

from dataclasses import dataclass, field

from sklearn.metrics import precision_recall_fscore_support

from passage.mailtriage.corpus import UNSEEN_AUTHOR, Email
from passage.mailtriage.model import CATEGORIES, Classifier
from passage.mailtriage.triage import Triage, triage_all


@dataclass(frozen=True)
class Scores:
    """One language's (or all emails') figures on one evaluation set."""

    emails: int
    language_right: float
    per_category: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)
    macro_f1: float = 0.0
    routed_automatically: float = 0.0
    right_when_automatic: float = 0.0
    references_exact: float = 0.0
    references_invented: int = 0


def _scores(emails: list[Email], results: list[Triage]) -> Scores:
    truth = [email.category for email in emails]
    guessed = [result.category for result in results]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guessed, labels=list(CATEGORIES), zero_division=0
    )
    automatic = [
        (email, result)
        for email, result in zip(emails, results, strict=True)
        if result.route == "auto"
    ]
    return Scores(
        emails=len(emails),
        language_right=sum(e.language == r.language for e, r in zip(emails, results, strict=True))
        / len(emails),
        per_category={
            category: (float(precision[i]), float(recall[i]), float(f1[i]), int(support[i]))
            for i, category in enumerate(CATEGORIES)
        },
        macro_f1=float(f1.mean()),
        routed_automatically=len(automatic) / len(emails),
        right_when_automatic=(sum(e.category == r.category for e, r in automatic) / len(automatic))
        if automatic
        else 0.0,
        references_exact=sum(
            e.reference == r.case_reference for e, r in zip(emails, results, strict=True)
        )
        / len(emails),
        references_invented=sum(
            r.case_reference is not None and r.case_reference != e.reference
            for e, r in zip(emails, results, strict=True)
        ),
    )


def evaluate(classifier: Classifier, emails: list[Email]) -> dict[str, dict[str, Scores]]:
    """Figures per evaluation set (the held-out share of the training authors' emails, and
    the unseen author's) and per language (`en`, `fr`, and `all`)."""
    results = triage_all([(email.subject, email.body) for email in emails], classifier=classifier)
    paired = list(zip(emails, results, strict=True))
    sets = {
        "held out": [pair for pair in paired if pair[0].source != UNSEEN_AUTHOR],
        "unseen author": [pair for pair in paired if pair[0].source == UNSEEN_AUTHOR],
    }
    report: dict[str, dict[str, Scores]] = {}
    for name, pairs in sets.items():
        if not pairs:
            continue
        report[name] = {}
        for language in ("en", "fr", "all"):
            chosen = [pair for pair in pairs if language == "all" or pair[0].language == language]
            if chosen:
                report[name][language] = _scores([e for e, _ in chosen], [r for _, r in chosen])
    return report


def as_markdown(report: dict[str, dict[str, Scores]], classifier: Classifier) -> str:
    """The evaluation as the docs show it."""
    about = classifier.about
    lines = [
        "# Email triage: the classifier's evaluation",
        "",
        "Written by `passage mail train`; do not edit by hand. The model was trained on "
        f"{about.get('written_emails')} hand-written emails "
        f"({about.get('training_emails')} with their variants: without accents, with typos, "
        "in lower case, signed, or above a quoted acknowledgement) and measured on emails "
        "it never saw: a fixed fifth of the same authors' emails, held out, and every "
        "email of an author whose style it never saw. "
        f"An email goes straight to its team (`auto`) when the probability of its category "
        f"is at least {classifier.threshold:.3f}, the lowest at which "
        f"{float(str(about.get('auto_precision_target', 0))):.0%} of automatically routed "
        "emails were right in cross-validation on the training part.",
        "",
    ]
    for name, languages in report.items():
        lines += [f"## {name.capitalize()}", ""]
        lines += [
            "| | emails | language right | macro-F1 | routed automatically "
            "| right when automatic | references exact | references invented |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for language, scores in languages.items():
            lines.append(
                f"| {language} | {scores.emails} | {scores.language_right:.1%} "
                f"| {scores.macro_f1:.3f} | {scores.routed_automatically:.1%} "
                f"| {scores.right_when_automatic:.1%} | {scores.references_exact:.1%} "
                f"| {scores.references_invented} |"
            )
        lines.append("")
        for language in ("en", "fr"):
            if language not in languages:
                continue
            lines += [
                f"{name.capitalize()}, `{language}`, per category:",
                "",
                "| category | precision | recall | F1 | emails |",
                "|---|---|---|---|---|",
            ]
            for category, (precision, recall, f1, support) in languages[
                language
            ].per_category.items():
                lines.append(
                    f"| `{category}` | {precision:.3f} | {recall:.3f} | {f1:.3f} | {support} |"
                )
            lines.append("")
    return "\n".join(lines)
