"""Which officers may take each group of identical cases, and at what cost.

An officer is eligible for a group when they have room (capacity > 0), hold every
required skill at or above its minimum, work in one of the group's eligible offices, and
are not among its excluded officers (a conflict of interest).
The lists are computed for all groups at once with numpy, a slice of groups at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from passage.routing.instance import BoolArray, Instance, IntArray
from passage.routing.model import RoutingPolicy

# Cells (groups x requirements x officers) examined per slice: about 8 MB of int8.
SLICE_CELLS = 8_000_000


@dataclass(frozen=True, slots=True)
class Candidates:
    """Eligible officers per group, cheapest first (ties: lower officer id), as one
    flat list: the entries of group g are `start[g]` to `start[g + 1]`."""

    start: IntArray
    officer: IntArray
    cost: IntArray
    qualified: IntArray  # per group: officers with the skills and office, whatever their room
    eligible: IntArray  # per group: of those, officers with room at the start of the run

    @property
    def group(self) -> IntArray:
        """The group of each entry."""
        return np.repeat(np.arange(len(self.start) - 1, dtype=np.int64), np.diff(self.start))

    @property
    def considered(self) -> IntArray:
        """How many entries each group has."""
        return np.diff(self.start)

    def only(self, keep: BoolArray) -> Candidates:
        """The entries marked in `keep`, in the same order."""
        counts = np.bincount(self.group[keep], minlength=len(self.start) - 1)
        return Candidates(
            start=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            officer=self.officer[keep],
            cost=self.cost[keep],
            qualified=self.qualified,
            eligible=self.eligible,
        )


def load_costs(instance: Instance, policy: RoutingPolicy) -> IntArray:
    """round(policy.load x officer.load) for each officer (halves to even, like round())."""
    loads = np.array([officer.load for officer in instance.officers], dtype=np.float64)
    return np.rint(policy.load * loads).astype(np.int64)


def eligible_candidates(instance: Instance, policy: RoutingPolicy) -> Candidates:
    """Every eligible officer of every group, with the cost of one case of the group."""
    groups = len(instance.groups)
    officers = len(instance.officers)
    width = max([len(key[0]) for key in instance.groups] + [1])
    skill = np.full((groups, width), instance.unknown_skill, dtype=np.int64)
    minimum = np.zeros((groups, width), dtype=np.int8)
    office_ok = np.ones((groups, len(instance.offices)), dtype=np.bool_)
    office_index = {office: index for index, office in enumerate(instance.offices)}
    officer_index = {officer.officer_id: i for i, officer in enumerate(instance.officers)}
    excluded: list[tuple[int, int]] = []  # (group, officer index)
    for group, (requirements, offices, barred) in enumerate(instance.groups):
        excluded.extend((group, officer_index[o]) for o in barred if o in officer_index)
        for position, (key, level) in enumerate(requirements):
            # A skill no officer holds stays on the all-zero row, which no minimum >= 1 meets.
            skill[group, position] = instance.skills.get(key, instance.unknown_skill)
            minimum[group, position] = level
        if offices is not None:
            office_ok[group] = False
            office_ok[group, [office_index[o] for o in offices if o in office_index]] = True

    has_room = instance.capacity > 0
    load = load_costs(instance, policy)
    qualified = np.zeros(groups, dtype=np.int64)
    rows: list[IntArray] = []
    columns: list[IntArray] = []
    costs: list[IntArray] = []
    step = max(1, SLICE_CELLS // max(1, width * officers))
    for first in range(0, groups, step):
        last = min(groups, first + step)
        held = instance.proficiency[skill[first:last]]  # slice x width x officers
        needed = minimum[first:last, :, None]
        fits: BoolArray = np.all(held >= needed, axis=1)
        fits &= office_ok[first:last][:, instance.officer_office]
        for group, barred_officer in excluded:
            if first <= group < last:
                fits[group - first, barred_officer] = False
        qualified[first:last] = fits.sum(axis=1)
        fits &= has_room[None, :]
        row, column = np.nonzero(fits)
        # Padding requirements are 0 >= 0 and add 0 here.
        above = (held[row, :, column].astype(np.int64) - needed[row, :, 0]).sum(axis=1)
        rows.append(row.astype(np.int64) + first)
        columns.append(column.astype(np.int64))
        costs.append(policy.overqualification * above + load[column])

    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    column = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    cost = np.concatenate(costs) if costs else np.zeros(0, dtype=np.int64)
    order = np.lexsort((column, cost, row))
    counts = np.bincount(row, minlength=groups)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Candidates(
        start=start,
        officer=column[order],
        cost=cost[order],
        qualified=qualified,
        eligible=counts.astype(np.int64),
    )


def cheapest(candidates: Candidates, per_group: int, instance: Instance) -> BoolArray:
    """Marks the `per_group` cheapest candidates of each group, and more while the room
    of those marked does not cover the group's cases (so that a large group of identical
    cases does not start with too few officers)."""
    group = candidates.group
    rank = np.arange(len(group), dtype=np.int64) - candidates.start[group]
    room = instance.capacity[candidates.officer]
    before = np.cumsum(room) - room
    room_before = before - before[candidates.start[group]] if len(group) else before
    keep: BoolArray = (rank < per_group) | (room_before < instance.group_sizes[group])
    return keep
