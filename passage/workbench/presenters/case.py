"""The case page: the file, the rules' explanation (unless the file is in blind review),
who has it and why, its whole history and its notes."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.status import (
    FINISHED_STEP_STATES,
    OPEN_STATUSES,
    ActorRole,
    CaseStatus,
    EventKind,
    RequestClosure,
    Step,
    StepState,
    Tier,
)
from passage.cases.wording import case_wording
from passage.intake.catalogue import document_checklist
from passage.intake.flows.messages import display_answer
from passage.intake.flows.registry import flow_for
from passage.intake.models import Document
from passage.triage.rulesets import current_rulesets
from passage.workbench import selectors
from passage.workbench.models import DocumentAccess
from passage.workbench.presenters.common import (
    StepStatus,
    age_days,
    due_on,
    officer_name,
    person_name,
    steps,
)


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
        if self.outcome == "eligible_auto":
            return _("Eligible: every criterion passed")
        return _("Needs an officer")


@dataclass(frozen=True)
class Assignment:
    """Who has the file, since when, and why."""

    officer: str
    occurred_at: datetime
    reasons: list[str]


@dataclass(frozen=True)
class HistoryEntry:
    """One event of the file, worded for the officer."""

    sequence: int
    label: str
    occurred_at: datetime
    actor: str
    actor_role: str
    details: list[str]


@dataclass(frozen=True)
class Note:
    """An officer's note on the file."""

    text: str
    author: str
    occurred_at: datetime


@dataclass(frozen=True)
class Answer:
    """One answer of the application: the question's name and the answer as worded."""

    name: str
    value: str


@dataclass(frozen=True)
class OpenRequest:
    """A document request the client has not answered, as the warning before a decision
    names it: the decision closes it."""

    step: str
    items: list[str]
    due_on: date
    requested_at: datetime
    # Who asked: "you" for the person reading, else the officer's name.
    requested_by: str
    yours: bool


@dataclass(frozen=True)
class Opening:
    """One time a staff member opened or downloaded a document, as supervisors see it."""

    person: str
    action: str
    at: datetime


@dataclass(frozen=True)
class CaseDocument:
    """A document of the case, named by what was asked for: the checklist item, or the
    documents an officer's request asked for and its step."""

    document: Document
    name: str
    # Who opened or downloaded it and when: shown to supervisors only (else empty).
    openings: list[Opening]


@dataclass(frozen=True)
class CaseView:
    """What the case page shows: the file, the rules' explanation (unless the file is in
    blind review), who has it and why, and its whole history."""

    case: Case
    program: str
    status_label: str
    age_days: int
    due_on: date
    overdue: bool
    steps: list[StepStatus]
    answers: list[Answer]
    answers_version: int | None
    documents: list[CaseDocument]
    document_requests: list[DocumentRequest]
    # The requests still open, which a decision closes: the decision form warns of them.
    open_requests: list[OpenRequest]
    assessment: Assessment | None
    blind_review: bool
    eligibility_finding: bool | None
    assigned_to: str
    assignment: Assignment | None
    history: list[HistoryEntry]
    notes: list[Note]

    @property
    def is_open(self) -> bool:
        return self.case.status in OPEN_STATUSES

    @property
    def in_review(self) -> bool:
        return self.case.status == CaseStatus.IN_REVIEW

    @property
    def eligibility_finished(self) -> bool:
        return StepState(self.case.eligibility) in FINISHED_STEP_STATES

    @property
    def open_steps(self) -> list[StepStatus]:
        return [step for step in self.steps if not step.finished]

    @property
    def all_steps_finished(self) -> bool:
        return all(step.finished for step in self.steps)


def case_view(*, person: User, case_id: UUID, now: datetime | None = None) -> CaseView:
    """Everything the workbench shows about one case, or Case.DoesNotExist when the
    person may not see it (anyone but department staff)."""
    read = selectors.case_file(person=person, case_id=case_id)
    case, events = read.case, read.events
    at = now or clock.now()
    language = get_language() or "en"
    due = due_on(case.received_at, case.program)
    return CaseView(
        case=case,
        program=case.program.name(language),
        status_label=str(CaseStatus(case.status).label),
        age_days=age_days(case.received_at, at),
        due_on=due,
        overdue=case.status in OPEN_STATUSES and due < timezone.localdate(at),
        steps=steps(case),
        answers=_answers(read.answers.answers if read.answers else {}, case.program.code),
        answers_version=read.answers.version if read.answers else None,
        documents=_documents(
            case,
            read.documents,
            read.document_requests,
            language,
            accesses=selectors.document_accesses(case) if person.has_role(Role.SUPERVISOR) else [],
        ),
        document_requests=read.document_requests,
        open_requests=[
            OpenRequest(
                step=str(Step(request.step).label),
                items=list(request.items),
                due_on=request.due_on,
                requested_at=request.requested_at,
                requested_by=person_name(request.requested_by),
                yours=request.requested_by_id == person.pk,
            )
            for request in read.document_requests
            if request.is_open
        ],
        assessment=None if case.blind_review else _assessment(case, events, language),
        blind_review=case.blind_review,
        eligibility_finding=read.eligibility_finding,
        assigned_to=officer_name(case.assigned_to),
        assignment=_assignment(events, read.officers, blind=case.blind_review),
        history=[_history_entry(event, read.officers, case.blind_review) for event in events],
        notes=[
            Note(
                text=event.payload.get("text", ""),
                author=person_name(event.actor),
                occurred_at=event.occurred_at,
            )
            for event in events
            if event.kind == EventKind.NOTE_ADDED
        ],
    )


def _documents(
    case: Case,
    documents: list[Document],
    requests: list[DocumentRequest],
    language: str,
    *,
    accesses: list[DocumentAccess],
) -> list[CaseDocument]:
    """The case's documents, each named in the page's language by what was asked for."""
    checklist = {item.kind: item.name(language) for item in document_checklist(case.program.code)}
    asked = {
        f"request-{request.pk}": _("%(items)s (asked for the %(step)s step)")
        % {"items": "; ".join(request.items), "step": str(Step(request.step).label).lower()}
        for request in requests
    }
    openings: dict[int, list[Opening]] = {}
    for access in accesses:
        openings.setdefault(access.document_id, []).append(
            Opening(
                person=person_name(access.person),
                action=str(DocumentAccess.Action(access.action).label),
                at=access.accessed_at,
            )
        )
    return [
        CaseDocument(
            document=document,
            name=checklist.get(document.kind) or asked.get(document.kind) or document.kind,
            openings=openings.get(document.pk, []),
        )
        for document in documents
    ]


def _answers(answers: dict[str, Any], program: str) -> list[Answer]:
    """The answers as the check-your-answers page words them where the program's question
    flow knows the question (lists of people and periods one per line), else as stored."""
    flow = flow_for(program)

    def shown(name: str, value: Any) -> str:
        question = flow.question(name) if flow is not None else None
        if question is not None:
            return display_answer(question, value)
        if value is True:
            return _("Yes")
        if value is False:
            return _("No")
        if value is None:
            return _("Not answered")
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    return [Answer(name=name, value=shown(name, value)) for name, value in answers.items()]


def _split_citation(citation: Any) -> tuple[str, str]:
    """A recorded citation's title and address: kept apart ({title, href}) since rules
    cite shared sources, or one string ("Title, https://...") in older records."""
    if isinstance(citation, dict):
        return str(citation.get("title", "")), str(citation.get("href", ""))
    text = str(citation or "")
    title, separator, href = text.rpartition(", ")
    if separator and href.startswith(("https://", "http://")):
        return title, href
    return text, ""


def _assessment(case: Case, events: list[CaseEvent], language: str) -> Assessment | None:
    latest = next(
        (event for event in reversed(events) if event.kind == EventKind.TRIAGE_ASSESSED), None
    )
    if latest is None:
        return None
    payload = latest.payload
    ruleset = current_rulesets().get(case.program.code)
    labels = {
        criterion.id: criterion.label.get(language) or criterion.label.get("en", criterion.id)
        for criterion in (ruleset.criteria if ruleset else ())
    }
    criteria = []
    for item in payload.get("criteria", []):
        title, href = _split_citation(item.get("citation"))
        criteria.append(
            Criterion(
                id=str(item.get("id", "")),
                label=labels.get(item.get("id", ""), str(item.get("id", ""))),
                result=str(item.get("result", "")),
                detail=str(item.get("detail", "")),
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


def _assignment(
    events: list[CaseEvent], officers: dict[int, User], *, blind: bool
) -> Assignment | None:
    """Who has the file and why, from the latest assignment or start of work; a start of
    work on a routed file also shows the routing's reasons."""
    latest = None
    for event in events:
        if event.kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED):
            latest = event
        elif event.kind == EventKind.UNASSIGNED:
            latest = None
    if latest is None:
        return None
    officer = officers.get(latest.payload.get("officer"))
    reasons = _assignment_lines(latest, blind=blind)
    if latest.kind == EventKind.WORK_STARTED:
        routed = next(
            (
                event
                for event in reversed(events)
                if event.kind == EventKind.ASSIGNED
                and event.sequence < latest.sequence
                and event.payload.get("officer") == latest.payload.get("officer")
            ),
            None,
        )
        if routed is not None:
            reasons += _assignment_lines(routed, blind=blind)
    return Assignment(
        officer=officer_name(officer),
        occurred_at=latest.occurred_at,
        reasons=reasons,
    )


def _manual_assignment(event: CaseEvent) -> dict[str, str] | None:
    """Who gave the file by hand and why, for an assignment a supervisor made (recorded as
    manual; before that, with reasons "by" a supervisor); None for any other event."""
    if event.kind != EventKind.ASSIGNED:
        return None
    payload = event.payload
    earlier = payload.get("reasons") or {}
    if payload.get("manual") is True:
        reason = payload.get("reason", "")
    elif earlier.get("by") == "supervisor":
        reason = earlier.get("reason", "")
    else:
        return None
    return {"supervisor": person_name(event.actor), "reason": str(reason)}


def _assignment_lines(event: CaseEvent, *, blind: bool) -> list[str]:
    """Why an assignment or a start of work gave the file its officer, as sentences."""
    manual = _manual_assignment(event)
    if manual is not None:
        return [_("Given by %(supervisor)s: %(reason)s") % manual]
    return _reason_lines(event.payload.get("reasons") or {}, blind=blind)


def _routing_reason(code: str) -> str:
    """A reason routing recorded as a code, as a sentence (an unknown one as it is)."""
    sentences = {
        "no-capacity": _("No officer who could take it had room."),
        "no-eligible-officer": _("No officer holds the skills it needs."),
        "officer-on-leave": _("The officer a supervisor gave it to is on leave."),
        "officer-unavailable": _("The officer a supervisor gave it to no longer takes files."),
        "officer-excluded": _(
            "The officer a supervisor gave it to has a conflict of interest with it."
        ),
    }
    return sentences.get(code, code)


def _reason_lines(reasons: dict[str, Any], *, blind: bool) -> list[str]:
    """Assignment reasons (the claim's or routing's) as sentences."""
    lines = []
    how = reasons.get("how")
    if how == "routed to you":
        lines.append(_("Taken by the officer: routing had given it to them."))
    elif how == "given to you":
        lines.append(_("Taken by the officer: a supervisor had given it to them."))
    elif how == "next in your skills":
        lines.append(_("Taken by the officer: the oldest waiting file their skills cover."))
    if reasons.get("pin_released"):
        lines.append(_routing_reason(str(reasons["pin_released"])))
    if "method" in reasons:
        lines.append(_("Assigned by routing (%(method)s).") % {"method": reasons["method"]})
    # The proficiency a file needs follows its tier, so a blind review file hides it.
    if not blind:
        for requirement in reasons.get("requirements") or []:
            lines.append(
                _("Skill %(skill)s: needs %(minimum)s, the officer holds %(proficiency)s.")
                % {
                    "skill": requirement.get("skill", ""),
                    "minimum": requirement.get("minimum", ""),
                    "proficiency": requirement.get("proficiency", ""),
                }
            )
    if reasons.get("office"):
        lines.append(_("Office: %(office)s.") % {"office": reasons["office"]})
    if "officer_load" in reasons:
        lines.append(
            _("Officer's load when assigned: %(load)s%%.")
            % {"load": round(float(reasons["officer_load"]) * 100)}
        )
    if "age_days" in reasons:
        lines.append(_("The file had waited %(days)s days.") % {"days": reasons["age_days"]})
    return lines


def _history_entry(event: CaseEvent, officers: dict[int, User], blind: bool) -> HistoryEntry:
    payload = event.payload
    details: list[str] = []
    kind = event.kind
    if kind == EventKind.STEP_RECORDED:
        details.append(case_wording().step_change(payload["step"], payload["state"]))
        if "eligible" in payload:
            details.append(
                _("Requirements met") if payload["eligible"] else _("Requirements not met")
            )
        if payload.get("note"):
            # The system's notes are fixed English sentences (marked for translation where
            # they are written); an officer's note is shown as they wrote it.
            system = event.actor_role == ActorRole.SYSTEM
            details.append(_(payload["note"]) if system else payload["note"])
    elif kind == EventKind.DOCUMENTS_REQUESTED:
        details.append(
            _("%(step)s, due %(due_on)s: %(items)s")
            % {
                "step": Step(payload["step"]).label,
                "due_on": payload.get("due_on", ""),
                "items": "; ".join(payload.get("items", [])),
            }
        )
    elif kind == EventKind.DOCUMENTS_REQUEST_CLOSED:
        details.append(
            _("%(step)s: %(reason)s")
            % {
                "step": Step(payload["step"]).label,
                "reason": RequestClosure(payload["reason"]).label,
            }
        )
    elif kind in (EventKind.APPROVED, EventKind.REFUSED):
        if payload.get("reasons"):
            details.append(payload["reasons"])
        if payload.get("legal_grounds"):
            details.append(
                _("Legal grounds: %(grounds)s") % {"grounds": "; ".join(payload["legal_grounds"])}
            )
    elif kind == EventKind.TRIAGE_ASSESSED and not blind:
        details.append(
            _("Outcome: %(outcome)s, ruleset %(ruleset)s")
            % {"outcome": payload.get("outcome", ""), "ruleset": event.ruleset_version}
        )
    elif kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED):
        officer = officers.get(payload.get("officer"))
        manual = _manual_assignment(event)
        if manual is not None:
            details.append(
                _("Assigned to %(officer)s by %(supervisor)s: %(reason)s")
                % {**manual, "officer": officer_name(officer)}
            )
        elif officer is not None:
            details.append(_("Officer: %(name)s") % {"name": person_name(officer)})
    elif kind == EventKind.UNASSIGNED and event.actor_role == ActorRole.SYSTEM:
        # Routing's codes ("officer-on-leave: no-capacity"), worded.
        if payload.get("reason"):
            details.append(
                " ".join(_routing_reason(code) for code in payload["reason"].split(": "))
            )
    elif kind in (EventKind.UNASSIGNED, EventKind.WITHDRAWN):
        if payload.get("reason"):
            details.append(payload["reason"])
    elif kind == EventKind.NOTE_ADDED:
        details.append(payload.get("text", ""))
    elif kind == EventKind.QUALITY_REVIEWED:
        details.append(
            _("Requirements met") if payload.get("eligible") else _("Requirements not met")
        )
        if payload.get("reasons"):
            details.append(payload["reasons"])
    return HistoryEntry(
        sequence=event.sequence,
        label=str(EventKind(kind).label),
        occurred_at=event.occurred_at,
        actor=person_name(event.actor),
        actor_role=str(ActorRole(event.actor_role).label),
        details=details,
    )


@dataclass(frozen=True)
class DocumentView:
    """What the document viewer shows: the case, and the document named as on its page."""

    case: Case
    document: CaseDocument

    @property
    def is_image(self) -> bool:
        return self.document.document.content_type != Document.ContentType.PDF


def document_view(*, person: User, case_id: UUID, document_id: int) -> DocumentView:
    """One document of a case the person may see, named in the page's language; raises
    Case.DoesNotExist or Document.DoesNotExist otherwise."""
    found = selectors.case_document(person=person, case_id=case_id, document_id=document_id)
    requests = list(found.case.document_requests.all())
    [named] = _documents(
        found.case, [found.document], requests, get_language() or "en", accesses=[]
    )
    return DocumentView(case=found.case, document=named)
