"""The case page: the file, the rules' explanation (unless the file is in blind review),
who has it and why, its whole history and its notes."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.commands.who import staff_file_refusal
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import (
    FINISHED_STEP_STATES,
    OPEN_STATUSES,
    CaseStatus,
    EventKind,
    Step,
    StepState,
)
from passage.intake.catalogue import category_name, current_programs
from passage.intake.document_names import document_namer
from passage.intake.flows.countries import country_name
from passage.intake.flows.messages import display_answer
from passage.intake.flows.registry import flow_for
from passage.intake.models import Document
from passage.workbench import selectors
from passage.workbench.models import DocumentAccess
from passage.workbench.presenters.assessment import Assessment, latest_assessment
from passage.workbench.presenters.common import (
    StepStatus,
    age_days,
    due_on,
    officer_name,
    person_name,
    steps,
)
from passage.workbench.presenters.contact import ApplicantContact, applicant_contact
from passage.workbench.presenters.history import Assignment, HistoryEntry, assignment, history_entry
from passage.workbench.presenters.requests import RequestRow, request_rows


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
    # The file's category by its name; empty for a program without categories.
    category: str
    # The applicant's country of citizenship by its name.
    citizenship: str
    status_label: str
    age_days: int
    due_on: date
    overdue: bool
    steps: list[StepStatus]
    answers: list[Answer]
    answers_version: int | None
    documents: list[CaseDocument]
    document_requests: list[RequestRow]
    # The requests still open, which a decision closes: the decision form warns of them.
    open_requests: list[OpenRequest]
    assessment: Assessment | None
    blind_review: bool
    eligibility_finding: bool | None
    assigned_to: str
    assignment: Assignment | None
    history: list[HistoryEntry]
    notes: list[Note]
    # Why the person may not act on the file (another officer's, or not given to them):
    # the page then shows no action but the declaration of a conflict. Empty: they may.
    cannot_act: str = ""
    # Whether they may record the eligibility finding: on a file sampled for blind
    # review, only the officer it was given to.
    may_record_finding: bool = True
    # How the department reaches the applicant now (None: the applicant has no account).
    applicant_contact: ApplicantContact | None = None

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
    file is out of the person's reach (`selectors.reach_of`)."""
    read = selectors.case_file(person=person, case_id=case_id)
    case, events = read.case, read.events
    cannot_act = staff_file_refusal(case, person)
    at = now or clock.now()
    language = get_language() or "en"
    due = due_on(case.received_at, case.program)
    return CaseView(
        case=case,
        program=case.program.name(language),
        category=category_name(case.program.code, case.category, language) if case.category else "",
        citizenship=country_name(case.application.citizenship, language),
        status_label=str(CaseStatus(case.status).label),
        age_days=age_days(case.received_at, at),
        due_on=due,
        overdue=case.status in OPEN_STATUSES and due < timezone.localdate(at),
        steps=steps(case),
        answers=_answers(read.answers.answers if read.answers else {}, case.program.code, language),
        answers_version=read.answers.version if read.answers else None,
        documents=_documents(
            case,
            read.documents,
            read.document_requests,
            language,
            accesses=selectors.document_accesses(case) if person.has_role(Role.SUPERVISOR) else [],
        ),
        document_requests=request_rows(
            read.document_requests, getattr(case.application.applicant, "time_zone", "")
        ),
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
        assessment=None if case.blind_review else latest_assessment(case, events, language),
        blind_review=case.blind_review,
        eligibility_finding=read.eligibility_finding,
        assigned_to=officer_name(case.assigned_to),
        assignment=assignment(events, read.officers, blind=case.blind_review, language=language),
        history=[
            history_entry(event, read.officers, case.blind_review, language) for event in events
        ],
        notes=[
            Note(
                text=event.payload.get("text", ""),
                author=person_name(event.actor),
                occurred_at=event.occurred_at,
            )
            for event in events
            if event.kind == EventKind.NOTE_ADDED
        ],
        cannot_act=str(cannot_act or ""),
        may_record_finding=cannot_act is None
        and (not case.blind_review or case.assigned_to_id == person.pk),
        applicant_contact=applicant_contact(case, events),
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
    name = document_namer(case.program.code, requests, language)
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
            name=name(document.kind, document.description),
            openings=openings.get(document.pk, []),
        )
        for document in documents
    ]


def _answers(answers: dict[str, Any], program: str, language: str) -> list[Answer]:
    """The answers as the check-your-answers page words them where the program's question
    flow knows the question (lists of people and periods one per line), else as stored;
    each named by its question, else by what the rules say the fact is."""
    flow = flow_for(program)
    bundle = current_programs().get(program)
    facts = bundle.ruleset.fact_descriptions if bundle is not None else {}

    def named(name: str) -> str:
        question = flow.question(name) if flow is not None else None
        if question is not None:
            return question.label.get(language)
        described = facts.get(name, {})
        return described.get(language) or described.get("en") or name

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

    return [Answer(name=named(name), value=shown(name, value)) for name, value in answers.items()]


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
