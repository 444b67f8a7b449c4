"""Writing a decision letter from its template: the same facts, in both languages.

Templates are versioned files, `templates/letters/<kind>/v<N>.<language>.txt`, written
in the markup of `letters.markup`. `CURRENT_VERSIONS` names the version each kind is
written from; an old version stays, so that the letters it wrote can still be told apart
and read beside the template that wrote them. A wording change is a new version, never an
edit of one that has issued letters.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import translation

from passage.languages import written_date
from passage.letters.markup import quoted
from passage.programs.letter_terms import LetterTerms

LANGUAGES = ("en", "fr")
KINDS = ("approval", "refusal", "withdrawal")
CURRENT_VERSIONS = {"approval": 1, "refusal": 1, "withdrawal": 1}


@dataclass(frozen=True)
class Bilingual:
    en: str
    fr: str

    def __call__(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class LetterFacts:
    """Everything a decision letter says, gathered from the case and its decision."""

    kind: str
    reference: str
    addressee: str
    program: Bilingual
    category: Bilingual | None
    decided_on: date
    # The office of the officer who decided; None when Passage approved on its own.
    office: Bilingual | None
    terms: LetterTerms
    reasons: str = ""
    legal_grounds: tuple[str, ...] = ()
    ruleset_version: str = ""


@dataclass(frozen=True)
class ComposedLetter:
    """A letter as written: its kind, template version, the last day of the client's
    recourse (or None) and its text in each language."""

    kind: str
    version: int
    respond_by: date | None
    body_en: str
    body_fr: str

    def body(self, language: str) -> str:
        return self.body_fr if language == "fr" else self.body_en

    @property
    def sha256(self) -> str:
        return text_digest(self.body_en, self.body_fr)


def compose(facts: LetterFacts, *, version: int | None = None) -> ComposedLetter:
    """The letter `facts` make, from the current template of its kind (or `version`)."""
    version = version or CURRENT_VERSIONS[facts.kind]
    respond_by = (
        facts.decided_on + timedelta(days=facts.terms.recourse.days)
        if facts.kind == "refusal"
        else None
    )
    bodies = {language: _render(facts, version, language, respond_by) for language in LANGUAGES}
    return ComposedLetter(facts.kind, version, respond_by, bodies["en"], bodies["fr"])


def template_name(kind: str, version: int, language: str) -> str:
    return f"letters/{kind}/v{version}.{language}.txt"


def text_digest(body_en: str, body_fr: str) -> str:
    """SHA-256 of a letter's two texts."""
    return hashlib.sha256(json.dumps([body_en, body_fr]).encode()).hexdigest()


def decision_digest(kind: str, reasons: str, legal_grounds: list[str] | tuple[str, ...]) -> str:
    """What an officer saw in a letter's preview that is theirs to change: the kind of
    decision, its reasons and grounds, and the template version. The decision is sent
    only with the digest of what is about to be sent."""
    content = [kind, CURRENT_VERSIONS[kind], reasons.strip(), list(legal_grounds)]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _render(facts: LetterFacts, version: int, language: str, respond_by: date | None) -> str:
    context = {
        "reference": facts.reference,
        "addressee": facts.addressee,
        "program": facts.program(language),
        "category": facts.category(language) if facts.category else "",
        "date": written_date(facts.decided_on, language),
        "office": facts.office(language) if facts.office else "",
        "reasons": quoted(facts.reasons),
        "legal_grounds": [ground.strip() for ground in facts.legal_grounds if ground.strip()],
        "ruleset_version": facts.ruleset_version,
        "next_steps": facts.terms.approved_next(language),
        "recourse": facts.terms.recourse.what(language),
        "recourse_days": facts.terms.recourse.days,
        "law": facts.terms.recourse.law(language),
        "law_href": facts.terms.recourse.href(language),
        "respond_by": written_date(respond_by, language) if respond_by else "",
    }
    with translation.override(language):
        text = render_to_string(template_name(facts.kind, version, language), context)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Template output as the markup wants it: no trailing spaces, one blank line
    between blocks, none at either end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n") + "\n"
