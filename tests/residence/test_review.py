"""The officer's part: return with a reason, confirm one by one or in a batch (the virtual
landing and the signed eCOPR), and a supervisor's revocation."""

import pytest

from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.intake.documents import read_whole
from passage.outbox.models import OutboxMessage
from passage.residence import review, services
from passage.residence.errors import ConfirmationNotFound, NotReady
from passage.residence.issuing import SigningUnavailable
from passage.residence.models import Confirmation
from passage.residence.states import ConfirmationState
from passage.residence.verification import check_pdf
from tests.builders import create_officer
from tests.residence.builders import (
    DETAILS,
    approved_sponsorship,
    key,
    officer_of,
    portrait,
    ready_for_review,
    taken_up,
)
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


def confirmed():
    person, principal = ready_for_review()
    officer = officer_of(principal)
    review.confirm_residence(
        officer=officer, confirmation_id=principal.public_id, details=DETAILS, idempotency_key=key()
    )
    return person, Confirmation.objects.get(pk=principal.pk)


def test_an_officer_returns_a_confirmation_with_a_reason_the_client_reads():
    person, principal = ready_for_review()

    review.return_to_client(
        officer=officer_of(principal),
        confirmation_id=principal.public_id,
        reason="Your glasses reflect the flash. Send a photo without glasses.",
        photo_rejected=True,
        idempotency_key=key(),
    )

    principal.refresh_from_db()
    assert principal.state == ConfirmationState.PHOTO_REJECTED
    assert "glasses" in principal.returned_reason
    assert OutboxMessage.objects.filter(template="pr_update", to_email=person.email).exists()
    services.upload_photo(
        person=person,
        confirmation_id=principal.public_id,
        filename="again.jpg",
        content=portrait(),
        idempotency_key=key(),
    )
    services.submit_for_review(
        person=person, confirmation_id=principal.public_id, idempotency_key=key()
    )
    principal.refresh_from_db()
    assert principal.state == ConfirmationState.READY_FOR_REVIEW
    assert principal.returned_reason == ""


def test_a_return_without_a_reason_is_refused():
    _, principal = ready_for_review()

    with pytest.raises(InvalidRequest):
        review.return_to_client(
            officer=officer_of(principal),
            confirmation_id=principal.public_id,
            reason="  ",
            photo_rejected=False,
            idempotency_key=key(),
        )


def test_confirming_lands_the_person_where_they_declared_and_issues_a_signed_ecopr():
    person, principal = confirmed()

    assert principal.state == ConfirmationState.CONFIRMED
    assert principal.confirmed_by == officer_of(principal)
    assert principal.document_number == f"C{principal.pk:011d}"
    event = CaseEvent.objects.get(case=principal.case, kind=EventKind.RESIDENCE_CONFIRMED)
    assert event.payload["place"] == "Ottawa, ON"
    assert event.payload["document_number"] == principal.document_number
    document = principal.ecoprs.get()
    content = read_whole(document.storage_key, document.sha256)
    verdict = check_pdf(content, now=principal.confirmed_at)
    assert verdict.genuine, verdict.reason
    assert verdict.credential.document_number == principal.document_number
    assert verdict.credential.family_name == "Quincampoix"
    assert OutboxMessage.objects.filter(template="pr_update", to_email=person.email).exists()


def test_a_client_cannot_confirm_their_own_permanent_residence():
    person, principal = ready_for_review()

    with pytest.raises((NotPermitted, ConfirmationNotFound)):
        review.confirm_residence(
            officer=person,
            confirmation_id=principal.public_id,
            details=DETAILS,
            idempotency_key=key(),
        )


def test_incomplete_details_stop_the_confirmation_and_say_which():
    _, principal = ready_for_review()
    wrong = review.CoprDetails(**{**vars(DETAILS), "sex": "Q", "country_of_birth": "ZZ"})

    with pytest.raises(InvalidRequest) as raised:
        review.confirm_residence(
            officer=officer_of(principal),
            confirmation_id=principal.public_id,
            details=wrong,
            idempotency_key=key(),
        )

    assert set(raised.value.details["errors"]) == {"sex", "country_of_birth"}
    assert Confirmation.objects.get(pk=principal.pk).state == ConfirmationState.READY_FOR_REVIEW


def test_a_batch_confirms_those_with_complete_details_and_says_why_not_the_others():
    officer = create_officer()
    _, complete = ready_for_review(approved_sponsorship(officer))
    Confirmation.objects.filter(pk=complete.pk).update(**{**vars(DETAILS)})
    _, incomplete = ready_for_review(
        approved_sponsorship(officer, principal_email="lea@example.com"),
        email="lea@example.com",
    )

    outcome = review.confirm_batch(
        officer=officer,
        confirmation_ids=[complete.public_id, incomplete.public_id],
        idempotency_key=key(),
    )

    assert [person.pk for person in outcome.confirmed] == [complete.pk]
    assert list(outcome.not_confirmed) == [incomplete.public_id]
    assert Confirmation.objects.get(pk=incomplete.pk).state == ConfirmationState.READY_FOR_REVIEW


def test_a_replayed_batch_confirms_nobody_twice():
    _, principal = ready_for_review()
    Confirmation.objects.filter(pk=principal.pk).update(**{**vars(DETAILS)})
    officer = officer_of(principal)

    for _ in range(2):
        review.confirm_batch(
            officer=officer, confirmation_ids=[principal.public_id], idempotency_key="batch"
        )

    assert CaseEvent.objects.filter(kind=EventKind.RESIDENCE_CONFIRMED).count() == 1
    assert principal.ecoprs.count() == 1


def test_a_revoked_ecopr_is_no_longer_genuine_and_is_on_the_public_list():
    _, principal = confirmed()
    supervisor = create_supervisor("ottawa")

    review.revoke_ecopr(
        supervisor=supervisor,
        confirmation_id=principal.public_id,
        reason="Issued with a wrong date of birth; an amended eCOPR replaces it.",
        idempotency_key=key(),
    )

    document = principal.ecoprs.get()
    verdict = check_pdf(
        read_whole(document.storage_key, document.sha256), now=principal.confirmed_at
    )
    assert not verdict.genuine
    assert verdict.reason == "revoked"


def test_only_a_supervisor_revokes():
    _, principal = confirmed()

    with pytest.raises(NotPermitted):
        review.revoke_ecopr(
            supervisor=officer_of(principal),
            confirmation_id=principal.public_id,
            reason="No reason a supervisor gave.",
            idempotency_key=key(),
        )


def test_a_confirmation_not_sent_for_review_cannot_be_confirmed():
    _, (principal,) = taken_up(approved_sponsorship())

    with pytest.raises(NotReady):
        review.confirm_residence(
            officer=officer_of(principal),
            confirmation_id=principal.public_id,
            details=DETAILS,
            idempotency_key=key(),
        )


def test_a_photo_the_officer_rejects_must_be_replaced_before_sending_again():
    person, principal = ready_for_review()

    review.return_to_client(
        officer=officer_of(principal),
        confirmation_id=principal.public_id,
        reason="Glasses reflect the flash.",
        photo_rejected=True,
        idempotency_key=key(),
    )

    with pytest.raises(NotReady) as raised:
        services.submit_for_review(
            person=person, confirmation_id=principal.public_id, idempotency_key=key()
        )
    assert raised.value.details["missing"] == ["photo"]


def test_a_time_stamping_service_that_does_not_answer_changes_nothing(settings):
    settings.PASSAGE_ECOPR_TIMESTAMP_URL = "http://127.0.0.1:9/tsa"
    _, principal = ready_for_review()

    with pytest.raises(SigningUnavailable):
        review.confirm_residence(
            officer=officer_of(principal),
            confirmation_id=principal.public_id,
            details=DETAILS,
            idempotency_key=key(),
        )

    principal.refresh_from_db()
    assert principal.state == ConfirmationState.READY_FOR_REVIEW
    assert not principal.ecoprs.exists()
