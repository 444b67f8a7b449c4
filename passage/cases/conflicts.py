"""Conflicts of interest: no one acts as the department on a file that concerns them.

A person has a conflict with a case when they are or were a party to it (applicant,
sponsor, representative; a revoked party too), when they applied for it or filed it, or
when they declared a conflict on it or with one of its clients (`DeclaredConflict`: a
relative, a former client). With a conflict they may not see the case in a queue, be
routed it, take it, open it in the workbench or record anything on it as staff.

The rule lives here three times, kept in step by tests: as an ORM condition for the
selectors, as SQL for the statements written out once (the "next file" claim, the status
reads), and as the database trigger of migration `0008_conflicts_of_interest`, which
refuses any staff event by a conflicted person whatever the code above it does.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from passage.cases.models import Case, CaseParty, DeclaredConflict


def conflict_condition(person_id: int) -> Q:
    """The cases (as a condition on `Case`) the person has a conflict with."""
    any_party = CaseParty.objects.filter(case=OuterRef("pk"), person_id=person_id)
    declared_on_case = DeclaredConflict.objects.filter(officer_id=person_id, case=OuterRef("pk"))
    declared_with_client = DeclaredConflict.objects.filter(
        officer_id=person_id,
        client_id__in=CaseParty.objects.filter(case=OuterRef(OuterRef("pk"))).values("person_id"),
    )
    return (
        Q(Exists(any_party))
        | Q(application__applicant_id=person_id)
        | Q(application__submitted_by_id=person_id)
        | Q(Exists(declared_on_case))
        | Q(Exists(declared_with_client))
    )


def has_conflict(*, person_id: int, case_id: int) -> bool:
    """Whether the person has a conflict of interest with the case (by primary key)."""
    return Case.objects.filter(conflict_condition(person_id), pk=case_id).exists()


# The same rule as SQL on a row of "cases_case" named by `{case}`, for a person given as a
# parameter: `conflict_sql("cases_case")` and `conflict_params(person_id)` go together.
_CONFLICT_SQL = (
    "(EXISTS(SELECT 1 FROM cases_caseparty cp "
    "WHERE cp.case_id = {case}.id AND cp.person_id = %s) "
    "OR EXISTS(SELECT 1 FROM intake_application ia WHERE ia.id = {case}.application_id "
    "AND (ia.applicant_id = %s OR ia.submitted_by_id = %s)) "
    "OR EXISTS(SELECT 1 FROM cases_declaredconflict dc WHERE dc.officer_id = %s "
    "AND (dc.case_id = {case}.id OR dc.client_id IN "
    "(SELECT cp2.person_id FROM cases_caseparty cp2 WHERE cp2.case_id = {case}.id))))"
)


def conflict_sql(case_table: str) -> str:
    """The conflict rule as an SQL condition on the row `case_table` (a table or alias of
    "cases_case"); its parameters are `conflict_params`."""
    return _CONFLICT_SQL.format(case=f'"{case_table}"')


def conflict_params(person_id: int) -> list[int]:
    """The parameters of `conflict_sql`, in order."""
    return [person_id] * 4


def conflicted_officers(
    *, case_ids: Iterable[int], officer_ids: Iterable[int]
) -> dict[int, frozenset[int]]:
    """For each of the cases, the officers among `officer_ids` with a conflict on it (only
    cases with at least one are in the answer). Routing excludes these pairs."""
    cases = set(case_ids)
    officers = set(officer_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not cases or not officers:
        return {}
    for case_id, person_id in CaseParty.objects.filter(
        case_id__in=cases, person_id__in=officers
    ).values_list("case_id", "person_id"):
        found[case_id].add(person_id)
    for case_id, applicant_id, submitter_id in (
        Case.objects.filter(pk__in=cases)
        .filter(
            Q(application__applicant_id__in=officers) | Q(application__submitted_by_id__in=officers)
        )
        .values_list("pk", "application__applicant_id", "application__submitted_by_id")
    ):
        found[case_id].update({applicant_id, submitter_id} & officers)
    clients: dict[int, set[int]] = defaultdict(set)
    for officer_id, case_id, client_id in DeclaredConflict.objects.filter(
        officer_id__in=officers
    ).values_list("officer_id", "case_id", "client_id"):
        if case_id in cases:
            found[case_id].add(officer_id)
        if client_id is not None:
            clients[client_id].add(officer_id)
    if clients:
        for case_id, person_id in CaseParty.objects.filter(
            case_id__in=cases, person_id__in=list(clients)
        ).values_list("case_id", "person_id"):
            found[case_id].update(clients[person_id])
    return {case_id: frozenset(people) for case_id, people in found.items() if people}
