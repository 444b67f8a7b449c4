"""Reads for the applicant portal, scoped by the person asking."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from passage.accounts.models import User
from passage.cases.models import Case, CaseParty
from passage.cases.parties import scope_of
from passage.cases.reference import normalise_reference
from passage.cases.selectors import cases_of_party
from passage.cases.status import CaseStatus, PartyRole
from passage.errors import NotFound
from passage.intake.models import Application, ApplicationAnswers, Representation

# The parties through which a client holds their own cases.
CLIENT_PARTIES = (PartyRole.APPLICANT, PartyRole.SPONSOR)


@dataclass(frozen=True)
class SubmittedApplication:
    reference: str
    program: str
    status: str
    received_at: datetime
    role: str
    case_id: UUID


def submitted_applications(*, person: User, language: str) -> list[SubmittedApplication]:
    """Every case the person is an active party to (as applicant, sponsor or authorised
    representative), whatever channel it came through, the latest first."""
    parties = (
        CaseParty.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("case__program")
        .order_by("-case__received_at")
    )
    return [
        SubmittedApplication(
            reference=party.case.reference,
            program=party.case.program.name(language),
            status=str(CaseStatus(party.case.status).label),
            received_at=party.case.received_at,
            role=str(PartyRole(party.role).label),
            case_id=party.case.public_id,
        )
        for party in parties
    ]


@dataclass(frozen=True)
class CaseFilters:
    """What a person narrows their applications to: one of their clients (the id of an
    active authorisation), a program code, a status, and a search for a reference or the
    client's name. Empty means every one."""

    client: int | None = None
    program: str = ""
    status: str = ""
    search: str = ""


def applications_of(*, person: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the person is an active party to, narrowed by `filters` in SQL, the
    latest first. Each carries `party_role` (the person's part in it) and
    `submitted_by_client` (whether a client of the case, not a representative, sent it)."""
    cases = cases_of_party(person)
    if filters.client is not None:
        client = active_client(representative=person, representation_id=filters.client)
        if client is None:
            return Case.objects.none()
        cases = cases.filter(
            Exists(
                CaseParty.objects.filter(
                    case=OuterRef("pk"),
                    person=client,
                    role__in=CLIENT_PARTIES,
                    revoked_at__isnull=True,
                )
            )
        )
    if filters.program:
        cases = cases.filter(program__code=filters.program)
    if filters.status:
        cases = cases.filter(status=filters.status)
    search = " ".join(filters.search.split())
    if search:
        cases = cases.annotate(
            applicant_name=Concat("application__given_name", Value(" "), "application__family_name")
        )
        by_name = Q()
        for word in search.split():
            by_name &= Q(applicant_name__icontains=word)
        reference = normalise_reference(search)
        if reference:  # a search of only dashes is no reference, which every one contains
            by_name |= Q(reference__icontains=reference)
        cases = cases.filter(by_name)
    own_party = CaseParty.objects.filter(
        case=OuterRef("pk"), person=person, revoked_at__isnull=True
    ).order_by("role")
    client_submitted = CaseParty.objects.filter(
        case=OuterRef("pk"),
        person=OuterRef("application__submitted_by"),
        role__in=CLIENT_PARTIES,
    )
    return (
        cases.annotate(
            party_role=Subquery(own_party.values("role")[:1]),
            submitted_by_client=Exists(client_submitted),
        )
        .select_related("program", "application", "application__submitted_by")
        .order_by("-received_at", "-pk")
    )


def cases_of_clients(representative: User) -> dict[int, list[Case]]:
    """The cases of each of the representative's active clients that the representative
    may see, by the client's id, the latest first."""
    visible = cases_of_party(representative).values("pk")
    parties = (
        CaseParty.objects.filter(
            person__representations__representative=representative,
            person__representations__revoked_at__isnull=True,
            role__in=CLIENT_PARTIES,
            revoked_at__isnull=True,
            case__in=visible,
        )
        .select_related("case__program")
        .order_by("-case__received_at", "-case__pk")
        .distinct()
    )
    by_client: dict[int, list[Case]] = {}
    for party in parties:
        cases = by_client.setdefault(party.person_id, [])
        if party.case not in cases:
            cases.append(party.case)
    return by_client


def representatives_of(client: User) -> QuerySet[Representation]:
    """The client's authorisations, active and revoked, the latest first."""
    return Representation.objects.filter(client=client).select_related("representative")


def clients_of(representative: User) -> QuerySet[Representation]:
    """The active authorisations given to a representative, by client name."""
    return (
        Representation.objects.filter(representative=representative, revoked_at__isnull=True)
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "client__email")
    )


def active_client(*, representative: User, representation_id: int) -> User | None:
    """The client of one of the representative's active authorisations, else None."""
    representation = clients_of(representative).filter(pk=representation_id).first()
    return representation.client if representation else None


# --- A submitted application's answers ---------------------------------------------------


class SubmittedApplicationNotFound(NotFound):
    """No such submitted application for this person: it does not exist, or they have no
    part in it that lets them read its answers."""


@dataclass(frozen=True)
class SubmittedRecord:
    """A submitted application as the person who answered sent it: its case, its typed
    fields and the answers first recorded with it."""

    case: Case
    application: Application
    answers: dict[str, Any]


def submitted_record(*, person: User, case_id: UUID) -> SubmittedRecord:
    """The answers of the case's application as submitted, for a person with an active
    part in the case that covers the person who answered (that client, or a
    representative acting for them); else SubmittedApplicationNotFound. A sponsored
    person does not read their sponsor's answers, nor a sponsor theirs."""
    case = Case.objects.select_related("application", "program").filter(public_id=case_id).first()
    if case is None or not person.is_active:
        raise SubmittedApplicationNotFound(_("There is no such application."))
    answered_as = PartyRole(case.program.submitter_role)
    parties = CaseParty.objects.filter(
        case=case, person=person, revoked_at__isnull=True
    ).values_list("role", "acts_for")
    if not any(scope_of(role, acts_for) == answered_as for role, acts_for in parties):
        raise SubmittedApplicationNotFound(_("There is no such application."))
    first = (
        ApplicationAnswers.objects.filter(application=case.application)
        .order_by("version")
        .values_list("answers", flat=True)
        .first()
    )
    return SubmittedRecord(case=case, application=case.application, answers=first or {})
