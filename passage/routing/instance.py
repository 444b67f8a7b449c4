"""The input in array form: officers indexed, skills numbered, identical cases grouped.

Two cases with the same requirements, the same eligible offices and the same excluded
officers are interchangeable to every officer (the cost of giving a case to an officer
depends on nothing else), so the routing methods reason about groups of such cases and
only look at ages when they decide which cases of a group wait.

Cases pinned to an officer who can hold them (`pins.hold_pinned`) are taken out first:
each leaves one place less to its officer and to their office.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from passage.routing.model import Officer, OpenCase, Pinned, PinRelease
from passage.routing.pins import hold_pinned

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

Requirements = tuple[tuple[str, int], ...]
# Requirements, eligible offices (None: any), officer ids that may not take the cases.
GroupKey = tuple[Requirements, frozenset[str] | None, frozenset[int]]

# Officers may be counted on for at most this many cases in one run: a bound that keeps
# every capacity and cost sum of the network far inside 64 bits.
CAPACITY_CEILING = 1 << 31


@dataclass(frozen=True, slots=True)
class Instance:
    """Cases sorted by id, officers sorted by id, and the arrays the methods share;
    `pinned` cases are not among `cases`, and `released` names the pinned cases that are,
    with why their officer could not hold them."""

    cases: list[OpenCase]
    case_ids: IntArray
    case_ages: IntArray
    case_group: IntArray  # index into `groups` for each case
    groups: list[GroupKey]  # in the order of their lowest case id
    group_sizes: IntArray
    officers: list[Officer]
    capacity: IntArray  # per officer
    officer_office: IntArray  # index into `offices` for each officer
    offices: list[str]  # sorted
    office_limit: IntArray  # per office; the office's officers' capacity when not given
    skills: dict[str, int]  # skill key -> column of `proficiency`
    proficiency: NDArray[np.int8]  # skills x officers; the last row is all zero
    pinned: list[Pinned]
    released: dict[int, PinRelease]

    @property
    def unknown_skill(self) -> int:
        """The all-zero row: a padding requirement of minimum 0 that everyone meets."""
        return len(self.skills)


def normalise(requirements: Iterable[tuple[str, int]]) -> Requirements:
    """The requirements in a canonical order, so equal sets make equal group keys."""
    return tuple(sorted(requirements))


def prepare(
    cases: Iterable[OpenCase],
    officers: Iterable[Officer],
    office_capacity: Mapping[str, int] | None,
) -> Instance:
    """Sort, index and group the input, the pinned cases their officers hold set aside;
    reject duplicate ids."""
    case_list = sorted(cases, key=lambda case: case.case_id)
    officer_list = sorted(officers, key=lambda officer: officer.officer_id)
    _reject_duplicates([case.case_id for case in case_list], "case")
    _reject_duplicates([officer.officer_id for officer in officer_list], "officer")
    pinned, released = hold_pinned(
        case_list, {officer.officer_id: officer for officer in officer_list}
    )
    held = Counter(pin.officer_id for pin in pinned)
    if pinned:
        kept = {pin.case_id for pin in pinned}
        case_list = [case for case in case_list if case.case_id not in kept]

    offices = sorted({officer.office for officer in officer_list})
    office_index = {office: index for index, office in enumerate(offices)}
    skills: dict[str, int] = {}
    for officer in officer_list:
        for skill in officer.skills:
            skills.setdefault(skill, len(skills))
    proficiency = np.zeros((len(skills) + 1, len(officer_list)), dtype=np.int8)
    for column, officer in enumerate(officer_list):
        for skill, level in officer.skills.items():
            proficiency[skills[skill], column] = level
    # Room for new cases: none on leave, and a place less for each case held for them.
    capacity = np.minimum(
        np.array(
            [
                0 if officer.on_leave else max(0, officer.capacity - held[officer.officer_id])
                for officer in officer_list
            ],
            dtype=np.int64,
        ),
        CAPACITY_CEILING,
    )
    officer_office = np.array(
        [office_index[officer.office] for officer in officer_list], dtype=np.int64
    )
    office_limit = np.bincount(officer_office, weights=capacity, minlength=len(offices))
    office_limit = office_limit.astype(np.int64)
    held_by_office = Counter[str]()
    for officer in officer_list:
        held_by_office[officer.office] += held[officer.officer_id]
    for office, limit in (office_capacity or {}).items():
        if limit < 0:
            raise ValueError(f"office {office!r}: capacity must not be negative")
        if office in office_index:
            position = office_index[office]
            left = max(0, limit - held_by_office[office])
            office_limit[position] = min(int(office_limit[position]), left)

    group_of_key: dict[GroupKey, int] = {}
    normalised: dict[Requirements, Requirements] = {}
    groups: list[GroupKey] = []
    case_group = np.empty(len(case_list), dtype=np.int64)
    for position, case in enumerate(case_list):
        requirements = normalised.get(case.requirements)
        if requirements is None:
            requirements = normalised[case.requirements] = normalise(case.requirements)
        key = (requirements, case.eligible_offices, case.excluded_officers)
        group = group_of_key.get(key)
        if group is None:
            group = group_of_key[key] = len(groups)
            groups.append(key)
        case_group[position] = group

    return Instance(
        cases=case_list,
        case_ids=np.array([case.case_id for case in case_list], dtype=np.int64),
        case_ages=np.array([case.age_days for case in case_list], dtype=np.int64),
        case_group=case_group,
        groups=groups,
        group_sizes=np.bincount(case_group, minlength=len(groups)).astype(np.int64),
        officers=officer_list,
        capacity=capacity,
        officer_office=officer_office,
        offices=offices,
        office_limit=office_limit,
        skills=skills,
        proficiency=proficiency,
        pinned=pinned,
        released=released,
    )


def _reject_duplicates(ids: Sequence[int], what: str) -> None:
    if len(set(ids)) != len(ids):
        duplicate = next(i for i, count in Counter(ids).items() if count > 1)
        raise ValueError(f"{what} {duplicate} appears more than once")
