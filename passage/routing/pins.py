"""Cases a person gave to an officer: which stay with them in this run, and why the others
do not.

A supervisor's choice outranks the optimiser's: a pinned case stays with its officer,
out of the plan, whatever their skills, room or office, and takes one of their places
and one of their office's. It is routed like any other case only when that officer
cannot hold it today: they are on leave, they are not among the officers of the run (no
longer an active officer with an office), or they may not take the case (a conflict of
interest declared since).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from passage.routing.model import Officer, OpenCase, Pinned, PinRelease


def hold_pinned(
    cases: Iterable[OpenCase], officers: Mapping[int, Officer]
) -> tuple[list[Pinned], dict[int, PinRelease]]:
    """The pinned cases that stay with their officer, and for each pinned case that does
    not, why (`officers` by id: the officers of the run)."""
    held: list[Pinned] = []
    released: dict[int, PinRelease] = {}
    for case in cases:
        if case.pinned_to is None:
            continue
        officer = officers.get(case.pinned_to)
        if officer is None:
            released[case.case_id] = "officer-unavailable"
        elif officer.on_leave:
            released[case.case_id] = "officer-on-leave"
        elif officer.officer_id in case.excluded_officers:
            released[case.case_id] = "officer-excluded"
        else:
            held.append(Pinned(case_id=case.case_id, officer_id=officer.officer_id))
    return held, released
