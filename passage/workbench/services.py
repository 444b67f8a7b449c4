"""The officer workbench's commands: take the next file, route open files to officers,
move files between officers, and keep officers' skills, capacity and leave.

Decisions on a file (steps, document requests, notes, approval or refusal) are the case
services' commands; the workbench pages call them directly.
"""

import contextlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.conflicts import conflicted_officers
from passage.cases.errors import CaseError, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.intake.models import Document, Program
from passage.routing.model import Officer, OpenCase
from passage.routing.rebalance import rebalance
from passage.workbench.claims import coverage_of, file_claimed_with, lock_next_file
from passage.workbench.models import DocumentAccess, Leave, OfficerProfile, RoutingRun, Skill
from passage.workbench.selectors import (
    active_officer_loads,
    in_reach_of,
    movable_files,
    supervised_office,
)
from passage.workbench.skills import case_requirements, officer_skill_keys


@dataclass(frozen=True)
class Claim:
    case: Case | None
    replayed: bool


def claim_next_case(*, officer: User, idempotency_key: str, now: datetime | None = None) -> Claim:
    """Give the officer the next file to work on: the oldest file routed to them, else the
    oldest unassigned file in review that their skills cover. Two officers never get the
    same file: candidates are locked with `FOR UPDATE SKIP LOCKED`, and every condition is
    on the locked row, so PostgreSQL checks it again once the lock is held.

    The same key returns the file the first claim gave (`replayed=True`): a unique index
    on (officer, key) over claims catches the repeat, so a first claim costs no look-up."""
    if not officer.is_active or not officer.has_role(Role.OFFICER):
        raise NotPermitted(_("Only an officer can take a file."))
    if not idempotency_key or len(idempotency_key) > 255:
        raise InvalidRequest(_("An idempotency key of 1 to 255 characters is required."))
    at = now or clock.now()
    coverage = coverage_of(officer)
    try:
        with transaction.atomic():
            case = lock_next_file(officer, coverage)
            if case is not None:
                if case.assigned_to_id is None:
                    how = "next in your skills"
                else:
                    how = "given to you" if case.assignment_pinned else "routed to you"
                reasons = {"how": how, "received_at": case.received_at.isoformat()}
                cases.start_work(
                    case=case,
                    officer=officer,
                    idempotency_key=idempotency_key,
                    reasons=reasons,
                    now=at,
                )
    except IntegrityError:
        # The key took a file before (claims are unique per officer and key), and this
        # attempt was rolled back: answer with that file.
        case = None
    if case is None:
        earlier = file_claimed_with(officer, idempotency_key)
        if earlier is not None:
            return Claim(case=earlier, replayed=True)
    return Claim(case=case, replayed=False)


def route_open_cases(*, now: datetime | None = None) -> RoutingRun:
    """Run the batch optimiser over every open file nobody has started, and give each its
    officer with the reasons; files it cannot place go back to the shared queue.

    Started files stay with their officer and count against the officer's capacity. So
    do files a supervisor gave to an officer (pinned), while that officer can hold them:
    the router leaves them out of the plan, and routes those whose officer is on leave,
    no longer an active officer, or barred by a conflict (`passage.routing.pins`). Each
    command is given the version of the file routing read, so a file that changed
    meanwhile (a supervisor moved it) is left for the next run."""
    at = now or clock.now()
    run = RoutingRun.objects.create(started_at=at)
    programs = {p.pk: p for p in Program.objects.all()}
    categories = {p.code: list(p.categories) for p in programs.values()}
    open_cases = list(
        Case.objects.filter(
            status__in=[CaseStatus.TRIAGE, CaseStatus.IN_REVIEW], work_started_at__isnull=True
        ).only(
            "pk",
            "public_id",
            "program_id",
            "category",
            "language",
            "tier",
            "risk_area",
            "received_at",
            "assigned_to_id",
            "assignment_pinned",
            "version",
        )
    )
    by_pk = {case.pk: case for case in open_cases}
    pinned_to = {
        case.pk: case.assigned_to_id
        for case in open_cases
        if case.assignment_pinned and case.assigned_to_id is not None
    }
    officers, office_capacity = _officer_supply(
        at.date(), categories, pinned=Counter(pinned_to.values())
    )
    conflicts = conflicted_officers(
        case_ids=by_pk, officer_ids=[officer.officer_id for officer in officers]
    )
    demands = [
        OpenCase(
            case_id=case.pk,
            requirements=case_requirements(case, programs[case.program_id].code),
            age_days=max(0, (at - case.received_at).days),
            eligible_offices=frozenset(programs[case.program_id].processing_offices) or None,
            excluded_officers=conflicts.get(case.pk, frozenset()),
            pinned_to=pinned_to.get(case.pk),
        )
        for case in open_cases
    ]
    plan = rebalance(demands, officers, office_capacity)
    officers_by_pk = {
        o.pk: o for o in User.objects.filter(pk__in={a.officer_id for a in plan.assignments})
    }
    for assignment in plan.assignments:
        case = by_pk[assignment.case_id]
        if case.assigned_to_id == assignment.officer_id:
            continue
        _quietly(
            cases.assign_officer,
            case_id=case.public_id,
            actor=SYSTEM,
            officer=officers_by_pk[assignment.officer_id],
            reasons={**assignment.reasons, "routing_run": run.pk},
            idempotency_key=f"routing:{run.pk}",
            expected_version=case.version,
            now=at,
        )
    for unplaced in plan.unassigned:
        case = by_pk[unplaced.case_id]
        if case.assigned_to_id is not None:
            released = plan.released.get(case.pk)
            _quietly(
                cases.unassign_officer,
                case_id=case.public_id,
                actor=SYSTEM,
                # A pinned file whose officer cannot hold it: why it left them first.
                reason=f"{released}: {unplaced.reason}" if released else unplaced.reason,
                idempotency_key=f"routing:{run.pk}",
                expected_version=case.version,
                now=at,
            )
    run.finished_at = clock.now()
    # The files routing decided on: those left with the officer a supervisor chose are
    # counted apart, in the stats.
    run.cases_considered = len(demands) - len(plan.pinned)
    run.assigned = len(plan.assignments)
    run.unassigned = len(plan.unassigned)
    run.total_cost = plan.total_cost
    reasons: dict[str, int] = defaultdict(int)
    for unplaced in plan.unassigned:
        reasons[unplaced.reason] += 1
    run.stats = {
        "officers": len(officers),
        "unassigned_by_reason": dict(reasons),
        "pinned": len(plan.pinned),
        "pins_released": dict(Counter(plan.released.values())),
    }
    run.save()
    return run


def _quietly(command: Callable[..., object], **arguments: object) -> None:
    """Run a per-file command of a batch; a file that changed meanwhile (an officer
    started it, it was withdrawn) is skipped rather than failing the whole run."""
    with contextlib.suppress(CaseError):
        command(**arguments)


def _officer_supply(
    today: date, categories: dict[str, list[str]], *, pinned: Counter[int]
) -> tuple[list[Officer], dict[str, int]]:
    """Officers as routing sees them: room left this week (none on leave), and each
    office's intake left. Files they started count against both; the router takes off
    the files pinned to them (`pinned`, by officer) that they hold, which count in their
    load."""
    officers = []
    started_by_office: dict[str, int] = defaultdict(int)
    for load in active_officer_loads(today=today):
        if load.office is None:
            continue
        started_by_office[load.office.code] += load.started
        weekly = load.weekly_capacity
        in_use = load.started + pinned[load.officer.pk]
        officers.append(
            Officer(
                officer_id=load.officer.pk,
                office=load.office.code,
                skills=officer_skill_keys(
                    ((skill.kind, skill.value, skill.proficiency) for skill in load.skills),
                    categories,
                ),
                capacity=0 if load.on_leave_today else max(0, weekly - load.started),
                load=min(1.0, in_use / weekly) if weekly else 1.0,
                on_leave=load.on_leave_today,
            )
        )
    office_capacity = {
        office.code: max(0, (office.weekly_intake or 0) - started_by_office[office.code])
        for office in Office.objects.filter(weekly_intake__isnull=False)
    }
    return officers, office_capacity


@dataclass(frozen=True)
class BulkResult:
    """Per file of a bulk action: done, or the message of why not."""

    done: list[str]
    failed: dict[str, str]


def reassign_cases(
    *,
    case_ids: list[UUID],
    officer: User | None,
    supervisor: User,
    reason: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> BulkResult:
    """Give files to another officer of the supervisor's office (or back to the queue when
    `officer` is None), each through the same command as one file, so each is checked and
    logged on its own, with the reason (required). A file given to an officer is pinned
    to them: routing leaves it there until a supervisor moves it again or sends it back
    to the queue, which unpins it. A supervisor moves only the files `movable_files`
    gives them."""
    if not supervisor.has_role(Role.SUPERVISOR):
        raise NotPermitted(_("Only a supervisor can reassign files."))
    office = _managed_office(supervisor)
    if officer is not None and officer.office_id != office.pk:
        raise InvalidRequest(
            _("You can give files only to officers of your office."),
            errors={"officer": _("Choose an officer of your office.")},
        )
    reason = reason.strip()
    if not reason:
        raise InvalidRequest(
            _("Give a reason for the change."), errors={"reason": _("Give a reason.")}
        )
    done: list[str] = []
    failed: dict[str, str] = {}
    for case_id in case_ids:
        try:
            with transaction.atomic():
                # Locked first, so that the file cannot change hands between the check
                # and the command.
                _lock_movable_file(office, case_id)
                result = _move(case_id, officer, supervisor, reason, idempotency_key, now)
            done.append(result.case.reference)
        except Case.DoesNotExist:
            failed[str(case_id)] = _("There is no such file.")
        except CaseError as error:
            failed[str(case_id)] = error.message
    return BulkResult(done=done, failed=failed)


def _lock_movable_file(office: Office, case_id: UUID) -> None:
    """Lock the file's row; NotPermitted when the supervisor of `office` may not move it."""
    Case.objects.select_for_update().get(public_id=case_id)
    # Not through the supervisor's visible cases: a conflict of interest is the case
    # command's to refuse, with its own sentence.
    if not movable_files(Case.objects.filter(public_id=case_id), office).exists():
        raise NotPermitted(
            _(
                "This file is neither with an officer of your office nor waiting for a "
                "program your office processes."
            )
        )


def _move(
    case_id: UUID,
    officer: User | None,
    supervisor: User,
    reason: str,
    idempotency_key: str,
    now: datetime | None,
) -> cases.CommandResult:
    if officer is None:
        return cases.unassign_officer(
            case_id=case_id,
            actor=supervisor,
            reason=reason,
            idempotency_key=idempotency_key,
            now=now,
        )
    # By hand: recorded as manual with the reason and the supervisor, and pinned, so that
    # routing leaves the file with this officer; a file outside what the officer reads is
    # recorded as the exception it is.
    return cases.assign_officer(
        case_id=case_id,
        actor=supervisor,
        officer=officer,
        reason=reason,
        outside_reach=not in_reach_of(officer, case_id),
        idempotency_key=idempotency_key,
        now=now,
    )


def update_officer(
    *,
    supervisor: User,
    officer: User,
    weekly_capacity: int,
    office: Office,
    skills: list[tuple[str, str, int]],
) -> None:
    """Set an officer's office (the supervisor's own: a supervisor does not move officers
    to another office), weekly capacity and whole list of skills."""
    _check_manages(supervisor, officer)
    errors: dict[str, str] = {}
    if office.pk != supervisor.office_id:
        errors["office"] = _("Choose your own office: officers of another office are not yours.")
    if not 0 <= weekly_capacity <= 500:
        errors["weekly_capacity"] = _("Enter a capacity from 0 to 500 files.")
    kinds = {kind.value for kind in Skill.Kind}
    for kind, value, proficiency in skills:
        if kind not in kinds or not value.strip() or not 1 <= proficiency <= 5:
            errors["skills"] = _("Each skill needs a kind, a value and a proficiency of 1 to 5.")
    if errors:
        raise InvalidRequest(_("The officer's details have errors."), errors=errors)
    with transaction.atomic():
        OfficerProfile.objects.update_or_create(
            officer=officer, defaults={"weekly_capacity": weekly_capacity}
        )
        if officer.office_id != office.pk:
            officer.office = office
            officer.save(update_fields=["office"])
        officer.skills.all().delete()
        Skill.objects.bulk_create(
            Skill(officer=officer, kind=kind, value=value.strip(), proficiency=proficiency)
            for kind, value, proficiency in {(k, v.strip(), p) for k, v, p in skills}
        )


def record_leave(
    *, supervisor: User, officer: User, starts_on: date, ends_on: date, note: str = ""
) -> Leave:
    """Record days an officer is away; routing gives them nothing new on those days."""
    _check_manages(supervisor, officer)
    if ends_on < starts_on:
        raise InvalidRequest(
            _("The leave has errors."),
            errors={"ends_on": _("The last day cannot be before the first day.")},
        )
    return Leave.objects.create(
        officer=officer, starts_on=starts_on, ends_on=ends_on, note=note.strip()[:200]
    )


def _check_manages(supervisor: User, officer: User) -> None:
    """NotPermitted unless the supervisor manages the officer: one of their own office."""
    if not supervisor.has_role(Role.SUPERVISOR):
        raise NotPermitted(_("Only a supervisor can manage officers."))
    office = _managed_office(supervisor)
    if not officer.is_active or not officer.has_role(Role.OFFICER):
        raise InvalidRequest(
            _("Only active officers have skills, capacity and leave."),
            errors={"officer": _("Choose an active officer.")},
        )
    if officer.office_id != office.pk:
        raise NotPermitted(_("You manage only the officers of your own office."))


def _managed_office(supervisor: User) -> Office:
    """The office the supervisor manages; NotPermitted for a supervisor without one."""
    office = supervised_office(supervisor)
    if office is None:
        raise NotPermitted(
            _("You have no office, so there are no officers or files for you to manage.")
        )
    return office


def record_document_access(
    *, person: User, case: Case, document: Document, action: str, now: datetime | None = None
) -> DocumentAccess:
    """Log that a staff member opened (`view`) or downloaded (`download`) a document of a
    case they may see; the caller read both through the person's scoped selector."""
    return DocumentAccess.objects.create(
        person=person,
        case=case,
        document=document,
        action=DocumentAccess.Action(action),
        accessed_at=now or clock.now(),
    )
