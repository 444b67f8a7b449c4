"""The client's part: take up the invitation, declare presence, give an address, upload a
photo the checks explain, and send it for review."""

import pytest

from passage.cases.errors import InvalidRequest
from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.residence import services
from passage.residence.errors import ConfirmationNotFound, NotEditable, NotReady
from passage.residence.models import Confirmation
from passage.residence.states import ConfirmationState
from tests.residence.builders import (
    approved_sponsorship,
    invitation_of,
    key,
    not_a_photo,
    officer_of,
    portrait,
    principal_account,
    ready_for_review,
    taken_up,
)

pytestmark = pytest.mark.django_db


def test_the_invitation_is_taken_up_only_with_the_token_of_the_emailed_link():
    case = approved_sponsorship()
    principal, token = invitation_of(case)
    person = principal_account()

    with pytest.raises(ConfirmationNotFound):
        services.take_up_invitation(
            person=person, invitation_id=principal.public_id, token="0" * 40
        )
    services.take_up_invitation(person=person, invitation_id=principal.public_id, token=token)

    assert Confirmation.objects.get(pk=principal.pk).client == person


def test_an_invitation_taken_up_by_one_account_cannot_be_taken_by_another():
    case = approved_sponsorship()
    principal, token = invitation_of(case)
    taken_up(case)
    other = principal_account(email="someone-else@example.com")

    with pytest.raises(ConfirmationNotFound):
        services.take_up_invitation(person=other, invitation_id=principal.public_id, token=token)


def test_a_staff_account_cannot_take_up_an_invitation():
    case = approved_sponsorship()
    principal, token = invitation_of(case)

    with pytest.raises(ConfirmationNotFound):
        services.take_up_invitation(
            person=officer_of(principal), invitation_id=principal.public_id, token=token
        )


def test_the_token_is_bound_to_the_invited_address():
    case = approved_sponsorship()
    principal, token = invitation_of(case)
    Confirmation.objects.filter(pk=principal.pk).update(email="changed@example.com")

    with pytest.raises(ConfirmationNotFound):
        services.take_up_invitation(
            person=principal_account(), invitation_id=principal.public_id, token=token
        )


def test_the_declaration_is_kept_as_a_signed_timed_event_on_the_case():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    services.declare_presence(
        person=person,
        confirmation_id=principal.public_id,
        in_canada=True,
        city="Gatineau",
        province="QC",
        idempotency_key="declare",
    )

    event = CaseEvent.objects.get(case=case, kind=EventKind.PRESENCE_DECLARED)
    assert event.actor == person
    assert event.payload["city"] == "Gatineau"
    assert event.payload["statement"] == services.PRESENCE_STATEMENT_VERSION
    principal.refresh_from_db()
    assert principal.state == ConfirmationState.IN_PROGRESS


def test_a_person_who_does_not_declare_being_in_canada_is_told_why():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    with pytest.raises(InvalidRequest) as raised:
        services.declare_presence(
            person=person,
            confirmation_id=principal.public_id,
            in_canada=False,
            city="",
            province="XX",
            idempotency_key=key(),
        )

    assert set(raised.value.details["errors"]) == {"in_canada", "city", "province"}


def test_the_postal_code_is_written_in_canada_posts_form():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    services.give_address(
        person=person,
        confirmation_id=principal.public_id,
        address=services.Address(" 12 Rue Principale ", "Montréal", "QC", "h2x-1y4"),
        idempotency_key=key(),
    )

    principal.refresh_from_db()
    assert principal.address_postal_code == "H2X 1Y4"
    assert principal.address_line == "12 Rue Principale"


@pytest.mark.parametrize(
    ("province", "postal_code", "message"),
    [
        ("ON", "H2X 1Y4", "postal codes there begin with K or L or M or N or P"),
        ("QC", "12345", "Enter a Canadian postal code"),
        ("BC", "D1A 1A1", "Enter a Canadian postal code"),
    ],
)
def test_a_postal_code_that_is_not_of_the_province_is_refused_with_the_reason(
    province, postal_code, message
):
    with pytest.raises(InvalidRequest) as raised:
        services.check_address(services.Address("1 Main St", "Town", province, postal_code))

    assert message in str(raised.value.details["errors"]["postal_code"])


def test_a_photo_that_fails_is_kept_with_its_reasons_and_the_client_can_try_again():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    photo, check = services.upload_photo(
        person=person,
        confirmation_id=principal.public_id,
        filename="grey.jpg",
        content=not_a_photo(),
        idempotency_key=key(),
    )

    assert not check.accepted
    assert "no_face" in [failure["code"] for failure in photo.failures]
    principal.refresh_from_db()
    assert principal.state == ConfirmationState.PHOTO_REJECTED

    services.upload_photo(
        person=person,
        confirmation_id=principal.public_id,
        filename="me.png",
        content=portrait(),
        idempotency_key=key(),
    )
    principal.refresh_from_db()
    assert principal.state == ConfirmationState.IN_PROGRESS
    assert principal.photo.accepted_by_checks
    assert principal.photo.content_type == "image/jpeg"


def test_a_file_that_is_not_a_picture_is_refused_clearly_and_nothing_is_kept():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    with pytest.raises(InvalidRequest):
        services.upload_photo(
            person=person,
            confirmation_id=principal.public_id,
            filename="photo.jpg",
            content=b"%PDF-1.4 not a photo",
            idempotency_key=key(),
        )

    assert not principal.photos.exists()


def test_nothing_is_sent_for_review_until_every_part_is_done():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)

    with pytest.raises(NotReady) as raised:
        services.submit_for_review(
            person=person, confirmation_id=principal.public_id, idempotency_key=key()
        )

    assert raised.value.details["missing"] == ["declaration", "address", "photo"]


def test_a_confirmation_sent_for_review_can_no_longer_be_changed_by_the_client():
    person, principal = ready_for_review()

    assert principal.state == ConfirmationState.READY_FOR_REVIEW
    with pytest.raises(NotEditable):
        services.declare_presence(
            person=person,
            confirmation_id=principal.public_id,
            in_canada=True,
            city="Toronto",
            province="ON",
            idempotency_key=key(),
        )


def test_a_replayed_declaration_is_recorded_once():
    case = approved_sponsorship()
    person, (principal,) = taken_up(case)
    arguments = {
        "person": person,
        "confirmation_id": principal.public_id,
        "in_canada": True,
        "city": "Ottawa",
        "province": "ON",
        "idempotency_key": "same-key",
    }

    first = services.declare_presence(**arguments)
    again = services.declare_presence(**arguments)

    assert again.replayed
    assert again.event.pk == first.event.pk
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PRESENCE_DECLARED).count() == 1


def test_nobody_acts_on_a_confirmation_they_were_not_invited_to():
    case = approved_sponsorship()
    _, (principal,) = taken_up(case)
    stranger = principal_account(email="stranger@example.com")

    with pytest.raises(ConfirmationNotFound):
        services.declare_presence(
            person=stranger,
            confirmation_id=principal.public_id,
            in_canada=True,
            city="Ottawa",
            province="ON",
            idempotency_key=key(),
        )
    assert Confirmation.objects.get(pk=principal.pk).presence_declared_at is None
