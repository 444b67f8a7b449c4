"""The rules' assessment of a file as an officer reads it, in the page's language: each
criterion's label, result, detail and citation. Assessments are records: those made
before both languages were kept still read, in English where no French was recorded."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from passage.cases.models import Case, CaseEvent
from passage.cases.status import EventKind, Tier
from passage.rules.ruleset import Citation
from passage.triage.rulesets import current_rulesets


@dataclass(frozen=True)
class Criterion:
    """One criterion of the assessment: its result, detail and citation."""

    id: str
    label: str
    result: str
    detail: str
    citation_title: str
    citation_href: str

    @property
    def result_label(self) -> str:
        return {"pass": _("Passed"), "fail": _("Not passed"), "unknown": _("Unknown")}.get(
            self.result, self.result
        )


@dataclass(frozen=True)
class Assessment:
    """The latest triage assessment of a file, as an officer reads it."""

    outcome: str
    tier_label: str
    ruleset_version: str
    assessed_at: datetime
    criteria: list[Criterion]
    error: str = ""
    pulled_out: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


def outcome_label(outcome: str) -> str:
    """An assessment's outcome (`eligible_auto` or `needs_officer`) in words."""
    if outcome == "eligible_auto":
        return _("Eligible: every criterion passed")
    return _("Needs an officer")


def _split_citation(citation: Any, language: str, known: Citation | None) -> tuple[str, str]:
    """A recorded citation's title in `language` and its address. Kept apart
    ({title, title_fr, href}) since rules cite shared sources; records made before the
    French was kept ({title, href}) take it from the rules in force where they cite the
    same title; the oldest are one string ("Title, https://...")."""
    if isinstance(citation, dict):
        title, href = str(citation.get("title", "")), str(citation.get("href", ""))
        if language == "fr":
            if citation.get("title_fr"):
                title = str(citation["title_fr"])
            elif known is not None and known.heading == title:
                title = known.heading_in(language)
        return title, href
    text = str(citation or "")
    title, separator, href = text.rpartition(", ")
    if separator and href.startswith(("https://", "http://")):
        return title, href
    return text, ""


def _detail(item: dict[str, Any], language: str) -> str:
    """A criterion's detail in `language` where the record words it for people (since
    both languages are kept), else the interchange's English detail."""
    details = item.get("details")
    if isinstance(details, dict) and details.get(language):
        return str(details[language])
    return str(item.get("detail", ""))


def latest_assessment(case: Case, events: list[CaseEvent], language: str) -> Assessment | None:
    """The file's latest triage assessment in `language`: each criterion's label, its
    detail as recorded for people (else the interchange's English) and its citation's
    title; None before triage."""
    latest = next(
        (event for event in reversed(events) if event.kind == EventKind.TRIAGE_ASSESSED), None
    )
    if latest is None:
        return None
    payload = latest.payload
    ruleset = current_rulesets().get(case.program.code)
    known = {criterion.id: criterion for criterion in (ruleset.criteria if ruleset else ())}
    labels = {
        criterion.id: criterion.label.get(language) or criterion.label.get("en", criterion.id)
        for criterion in known.values()
    }
    criteria = []
    for item in payload.get("criteria", []):
        rule = known.get(str(item.get("id", "")))
        title, href = _split_citation(
            item.get("citation"), language, rule.citation if rule is not None else None
        )
        criteria.append(
            Criterion(
                id=str(item.get("id", "")),
                label=labels.get(item.get("id", ""), str(item.get("id", ""))),
                result=str(item.get("result", "")),
                detail=_detail(item, language),
                citation_title=title,
                citation_href=href,
            )
        )
    tier = payload.get("tier")
    return Assessment(
        outcome=str(payload.get("outcome", "")),
        tier_label=str(Tier(int(tier)).label) if tier in Tier.values else "",
        ruleset_version=latest.ruleset_version or str(payload.get("ruleset", "")),
        assessed_at=latest.occurred_at,
        criteria=criteria,
        error=str(payload.get("error", "")),
        pulled_out=[str(rule) for rule in payload.get("pulled_out", [])],
    )
