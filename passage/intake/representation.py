"""Representatives: a client authorises a representative to apply and act for them, and
can revoke the authorisation at any time.

An active authorisation gives the representative the client's drafts and a
representative's access to each case the client applied for (an `access.granted` event
in the case's log). Revoking it ends both in the same transaction: from the next request
on, the representative reaches neither.
"""

from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from passage import clock, errors
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import services as case_services
from passage.cases.errors import CaseError, InvalidRequest, NotPermitted
from passage.cases.models import Case, CaseParty
from passage.cases.status import PartyRole
from passage.intake.models import Representation

# The parties through which a client holds their own cases.
_CLIENT_PARTIES = (PartyRole.APPLICANT, PartyRole.SPONSOR)
MEMBERSHIP_NUMBER_MAX = 40


class RepresentationNotFound(CaseError, errors.NotFound):
    """No such authorisation among the client's own."""


def authorise_representative(
    *, client: User, email: str, membership_number: str = "", now: datetime | None = None
) -> Representation:
    """Record the client's authorisation for the representative whose account has this
    email address, and give them access to each of the client's cases.

    Authorising someone already authorised returns the active authorisation unchanged,
    so a repeated request records nothing twice.
    """
    at = now or clock.now()
    if client.is_department_staff or not client.is_active:
        raise NotPermitted(_("Only a client can authorise a representative."))
    membership_number = membership_number.strip()
    if len(membership_number) > MEMBERSHIP_NUMBER_MAX:
        raise InvalidRequest(
            _("The membership number is too long."),
            errors={"membership_number": _("Enter at most 40 characters.")},
        )
    representative = _representative_with_email(email)
    if representative.pk == client.pk:
        raise InvalidRequest(
            _("You cannot authorise yourself."),
            errors={"email": _("Enter the email address of someone else's account.")},
        )
    with transaction.atomic():
        # The client's row lock serialises their authorisations and revocations.
        User.objects.select_for_update().get(pk=client.pk)
        existing = Representation.objects.filter(
            client=client, representative=representative, revoked_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        representation = Representation.objects.create(
            client=client,
            representative=representative,
            membership_number=membership_number,
            authorised_at=at,
        )
        for case_id in _client_case_ids(client):
            case_services.grant_access(
                case_id=case_id,
                actor=client,
                person=representative,
                role=PartyRole.REPRESENTATIVE,
                idempotency_key=f"representation:{representation.pk}:grant",
                now=at,
            )
    return representation


def share_case_with_representatives(*, client: User, case: Case, now: datetime) -> None:
    """Give the client's authorised representatives access to a case the client just
    applied for. Runs inside the submission's transaction."""
    active = Representation.objects.filter(client=client, revoked_at__isnull=True).select_related(
        "representative"
    )
    for representation in active:
        case_services.grant_access(
            case_id=case.public_id,
            actor=client,
            person=representation.representative,
            role=PartyRole.REPRESENTATIVE,
            idempotency_key=f"representation:{representation.pk}:grant",
            now=now,
        )


def revoke_representation(
    *, client: User, representation_id: int, now: datetime | None = None
) -> Representation:
    """End an authorisation and, with it, the representative's access to the client's
    drafts and cases. Revoking one already revoked changes nothing."""
    at = now or clock.now()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=client.pk)
        representation = (
            Representation.objects.select_for_update()
            .filter(client=client, pk=representation_id)
            .first()
        )
        if representation is None:
            raise RepresentationNotFound(_("There is no such authorisation."))
        if representation.revoked_at is not None:
            return representation
        representation.revoked_at = at
        representation.save(update_fields=["revoked_at"])
        represented = CaseParty.objects.filter(
            person=representation.representative,
            role=PartyRole.REPRESENTATIVE,
            revoked_at__isnull=True,
            case__public_id__in=_client_case_ids(client),
        ).values_list("case__public_id", flat=True)
        for case_id in list(represented):
            case_services.revoke_access(
                case_id=case_id,
                actor=client,
                person=representation.representative,
                role=PartyRole.REPRESENTATIVE,
                idempotency_key=f"representation:{representation.pk}:revoke",
                now=at,
            )
    return representation


def person_name(person: User) -> str:
    """How a client or a representative is named on the pages: their name, else their
    email address."""
    return person.get_full_name() or person.email


def _representative_with_email(email: str) -> User:
    person = (
        User.objects.filter(
            email__iexact=email.strip(), is_active=True, groups__name=Role.REPRESENTATIVE
        )
        .distinct()
        .first()
    )
    if person is None:
        raise InvalidRequest(
            _("There is no representative's account with this email address."),
            errors={
                "email": _(
                    "Check the address, or ask your representative to create a "
                    "representative's account first."
                )
            },
        )
    return person


def _client_case_ids(client: User) -> list[UUID]:
    return list(
        CaseParty.objects.filter(
            person=client, role__in=_CLIENT_PARTIES, revoked_at__isnull=True
        ).values_list("case__public_id", flat=True)
    )
