"""`load_demo`: load the demonstration (programs, offices, staff, clients and a few
hundred cases) and report what it wrote.

Every case goes through the real services (`submit_application`, then `begin_triage`,
routing's `assign_officer` to the officer who opens the review, `begin_review`,
`record_step`, `record_decision`, `withdraw_application`) with instants in the past, so
the event chains are the ones production would write. Each case is planned from its own
seeded random generator (`plans.py`) and its commands carry idempotency keys made from
its number, so loading again replays the same commands and writes nothing, and loading
more cases later keeps the first ones as they are.

The timeline is anchored once: at the first load, the anchor is now; later loads read
it back from the moment the demo's first account joined (`schedule.py`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from passage import clock
from passage.accounts.models import User
from passage.cases.actors import SYSTEM, Actor
from passage.cases.models import Case
from passage.cases.services import (
    CommandResult,
    assign_officer,
    begin_review,
    begin_triage,
    grant_access,
    record_decision,
    record_step,
    start_work,
    withdraw_application,
)
from passage.cases.status import PartyRole
from passage.demo import data
from passage.demo.mail import ensure_client_email
from passage.demo.outages import ensure_outages
from passage.demo.paper import ensure_paper_forms
from passage.demo.people import (
    ensure_follow_up,
    ensure_offices,
    ensure_people,
    ensure_representations,
)
from passage.demo.plans import KEY_PREFIX, CasePlan, Command, plan_cases
from passage.demo.residence import ensure_residence
from passage.demo.schedule import timeline_anchor
from passage.intake.catalogue import LoadResult, current_programs, load_programs
from passage.intake.models import Program
from passage.intake.services import submit_application
from passage.outbox.models import OutboxMessage
from passage.triage.services import assess

DEFAULT_SIZE = 300


@dataclass
class DemoReport:
    """What a load did. `changed` is false when everything was already in place."""

    anchor: datetime
    programs: LoadResult
    offices_created: int = 0
    offices_updated: int = 0
    people_created: int = 0
    cases_created: int = 0
    cases_replayed: int = 0
    events_created: int = 0
    parties_created: int = 0
    emails_marked_sent: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.programs.changed
            or self.offices_created
            or self.offices_updated
            or self.people_created
            or self.cases_created
            or self.events_created
            or self.parties_created
            or self.emails_marked_sent
        )


def load_demo(
    *,
    size: int = DEFAULT_SIZE,
    now: datetime | None = None,
    programs_directory: Path | None = None,
    paper_forms: bool = False,
) -> DemoReport:
    """Load (or top up) the demonstration data with `size` cases. Idempotent: a second
    run with the same size writes nothing. `paper_forms` adds the scans waiting at paper
    intake and the client email in the correspondence queues (`passage load_demo` does):
    printing, reading and classifying them takes a few seconds, which the tests of the rest
    of the demo do without."""
    if size < 0:
        raise ValueError("size must be zero or more")
    anchor = timeline_anchor(now)
    report = DemoReport(anchor=anchor, programs=load_programs(directory=programs_directory))
    offices, report.offices_created, report.offices_updated = ensure_offices()
    programs = current_programs(programs_directory)
    people, report.people_created = ensure_people(offices, anchor, programs)
    ensure_representations(people, anchor)
    open_codes = set(Program.objects.filter(is_open=True).values_list("code", flat=True))
    shown = {code: programs[code] for code in sorted(open_codes & set(programs))}
    for plan in plan_cases(size=size, anchor=anchor, programs=shown):
        # One transaction per case: a case is loaded whole or not at all.
        with transaction.atomic():
            _carry_out(plan, people, report)
    ensure_follow_up(people, anchor)
    ensure_outages(people, anchor)
    if size:
        # Confirmations of permanent residence follow approvals: none in a demo of no case.
        ensure_residence(people, anchor)
    if paper_forms:
        ensure_paper_forms(people, anchor)
        ensure_client_email(people, anchor)
    report.emails_marked_sent = _mark_demo_emails_sent(anchor)
    return report


def _carry_out(plan: CasePlan, people: dict[str, User], report: DemoReport) -> None:
    """Submit the application and run its commands; on a second load, each call replays."""
    submitter = people[plan.account]
    submission = submit_application(
        submitter=submitter,
        program_code=plan.program,
        category=plan.category,
        given_name=plan.given_name,
        family_name=plan.family_name,
        date_of_birth=plan.date_of_birth,
        citizenship=plan.citizenship,
        email=plan.email,
        preferred_language=plan.language,
        answers=plan.answers,
        documents=[plan.document],
        idempotency_key=plan.key,
        now=plan.submitted_at,
    )
    case = submission.case
    if submission.replayed:
        report.cases_replayed += 1
    else:
        report.cases_created += 1
        report.events_created += 1
    granted = plan.submitted_at + timedelta(seconds=5)
    if plan.representative and not submission.replayed:
        # The client's authorisation gave the representative the case on submission.
        report.parties_created += 1
    if plan.sponsor:
        report.parties_created += _grant(
            case, submitter, people[plan.sponsor], PartyRole.SPONSOR, granted, plan.key
        )
    for number, command in enumerate(plan.commands, start=1):
        result = _run(case, command, f"{plan.key}-{number:02d}-{command.kind}", people)
        if not result.replayed:
            report.events_created += 1


def _grant(
    case: Case, applicant: User, person: User, role: PartyRole, at: datetime, key: str
) -> int:
    """The applicant authorises a representative or sponsor on their case."""
    result = grant_access(
        case_id=case.public_id,
        actor=applicant,
        person=person,
        role=role,
        idempotency_key=f"{key}-grant-{role.value}",
        now=at,
    )
    return int(not result.replayed)


def _run(case: Case, command: Command, key: str, people: dict[str, User]) -> CommandResult:
    actor: Actor = SYSTEM if command.actor is None else people[command.actor]
    common: dict[str, Any] = {"case_id": case.public_id, "idempotency_key": key, "now": command.at}
    if command.kind == "triage":
        result = begin_triage(actor=actor, **common)
        # The rules' own assessment, as the triage job records it (the job replays it).
        assessed_at = (command.at or clock.now()) + timedelta(milliseconds=1)
        assess(case=result.case, now=assessed_at, complete_eligibility=False, sample=False)
        return result
    if command.kind == "review":
        if isinstance(actor, User):
            # Routing gives the file to its officer first: an officer acts only on the
            # files routed to, given to or taken by them.
            at = command.at or clock.now()
            assign_officer(
                case_id=case.public_id,
                actor=SYSTEM,
                officer=actor,
                reasons={"how": "demo"},
                idempotency_key=f"{key}-route",
                now=at - timedelta(milliseconds=1),
            )
        result = begin_review(actor=actor, **common)
        if isinstance(actor, User) and not result.replayed:
            # The officer who opened the review holds the file, so routing leaves it.
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                start_work(
                    case=locked,
                    officer=actor,
                    idempotency_key=f"{key}-start",
                    reasons={"how": "demo"},
                    now=(command.at or clock.now()) + timedelta(milliseconds=1),
                )
        return result
    if command.kind == "step":
        assert command.step is not None
        assert command.state is not None
        return record_step(
            actor=actor,
            step=command.step,
            state=command.state,
            note=command.note,
            ruleset_version=command.ruleset_version,
            **common,
        )
    if command.kind in ("approve", "refuse"):
        return record_decision(
            actor=actor,
            approve=command.kind == "approve",
            reasons=command.reasons,
            legal_grounds=list(command.legal_grounds),
            **common,
        )
    if command.kind == "withdraw":
        assert isinstance(actor, User)
        return withdraw_application(actor=actor, reason=command.reasons, **common)
    raise ValueError(f"unknown demo command {command.kind!r}")  # pragma: no cover


def _mark_demo_emails_sent(anchor: datetime) -> int:
    """The demo's acknowledgement emails belong to its invented past: mark them as
    delivered then, so that a mail worker does not send a year of them on first start."""
    with transaction.atomic():
        return OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING,
            created_at__lt=anchor,
            case__application__idempotency_key__startswith=KEY_PREFIX,
            case__application__submitted_by__username__in=[c.username for c in data.APPLICANTS],
        ).update(status=OutboxMessage.Status.SENT, sent_at=F("created_at"), attempts=1)
