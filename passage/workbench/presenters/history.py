"""The history of a file as the officer reads it: each event worded, with its details,
and who has the file and why (routing's reasons, or the supervisor's)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from passage.accounts.contact_details import detail_label
from passage.accounts.models import Office, User
from passage.cases.models import CaseEvent
from passage.cases.status import ActorRole, EventKind, RequestClosure, Step
from passage.cases.wording import case_wording
from passage.tracker.status_model import deadline_moved_text
from passage.workbench.presenters.assessment import outcome_label
from passage.workbench.presenters.common import officer_name, person_name, skill_name


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


def assignment(
    events: list[CaseEvent], officers: dict[int, User], *, blind: bool, language: str
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
    reasons = _assignment_lines(latest, blind=blind, language=language)
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
            reasons += _assignment_lines(routed, blind=blind, language=language)
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


def _assignment_lines(event: CaseEvent, *, blind: bool, language: str) -> list[str]:
    """Why an assignment or a start of work gave the file its officer, as sentences."""
    manual = _manual_assignment(event)
    if manual is not None:
        return [_("Given by %(supervisor)s: %(reason)s") % manual]
    return _reason_lines(event.payload.get("reasons") or {}, blind=blind, language=language)


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


def _routing_method(code: str) -> str:
    """How routing chose (a method it recorded as a code) in words; an unknown one as it is."""
    methods = {
        "optimum": _("the best placement of every waiting file"),
        "greedy_oldest_first": _("the oldest files first"),
        "rebalance": _("files moved to even out the officers' loads"),
    }
    return methods.get(code, code)


def _reason_lines(reasons: dict[str, Any], *, blind: bool, language: str) -> list[str]:
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
        lines.append(
            _("Assigned by routing (%(method)s).")
            % {"method": _routing_method(str(reasons["method"]))}
        )
    # The proficiency a file needs follows its tier, so a blind review file hides it.
    if not blind:
        for requirement in reasons.get("requirements") or []:
            lines.append(
                _("Skill %(skill)s: needs %(minimum)s, the officer holds %(proficiency)s.")
                % {
                    "skill": skill_name(str(requirement.get("skill", "")), language),
                    "minimum": requirement.get("minimum", ""),
                    "proficiency": requirement.get("proficiency", ""),
                }
            )
    if reasons.get("office"):
        office = Office.objects.filter(code=reasons["office"]).first()
        name = office.name(language) if office is not None else reasons["office"]
        lines.append(_("Office: %(office)s.") % {"office": name})
    if "officer_load" in reasons:
        lines.append(
            _("Officer's load when assigned: %(load)s%%.")
            % {"load": round(float(reasons["officer_load"]) * 100)}
        )
    if "age_days" in reasons:
        lines.append(_("The file had waited %(days)s days.") % {"days": reasons["age_days"]})
    return lines


def history_entry(
    event: CaseEvent, officers: dict[int, User], blind: bool, language: str
) -> HistoryEntry:
    """One event of the file worded for the officer, with its details (nothing of the
    rules' assessment on a file in blind review)."""
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
    elif kind == EventKind.DOCUMENTS_SENT:
        details.append(
            _("%(description)s: %(files)s")
            % {
                "description": payload.get("description", ""),
                "files": ", ".join(d.get("filename", "") for d in payload.get("documents", [])),
            }
        )
    elif kind == EventKind.DEADLINE_MOVED:
        details.append(deadline_moved_text(payload))
    elif kind == EventKind.DEADLINE_FLAGGED:
        details.append(
            (
                _(
                    "%(step)s, due %(due)s: a time limit set by law, which cannot move. Outage "
                    "%(outages)s touched it: do not hold the delay against the client."
                )
                if payload.get("flagged")
                else _("%(step)s, due %(due)s: no outage touches this time limit any more.")
            )
            % {
                "step": Step(payload["step"]).label,
                "due": payload.get("due", ""),
                "outages": ", ".join(payload.get("outages", [])),
            }
        )
    elif kind == EventKind.DETAILS_CHANGED:
        details.extend(
            f"{detail_label(field)}: {value}" for field, value in payload.get("changes", {}).items()
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
            % {
                "outcome": outcome_label(payload.get("outcome", "")),
                "ruleset": event.ruleset_version,
            }
        )
    elif kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED):
        officer = officers.get(payload.get("officer"))
        manual = _manual_assignment(event)
        if manual is not None:
            details.append(
                _("Assigned to %(officer)s by %(supervisor)s: %(reason)s")
                % {**manual, "officer": officer_name(officer)}
            )
            if payload.get("outside_reach"):
                details.append(
                    _(
                        "An exception: the file was outside the offices and programs this "
                        "officer reads. It is theirs to read and act on while they have it."
                    )
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
