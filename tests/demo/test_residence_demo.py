"""The demo's confirmations of permanent residence: a client at each stage, each with a
demo account to sign in with, the demo officer's review queue, a signed eCOPR that
verifies, a card batch sent; all through the services, and a second load adds nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import authenticate

from passage.accounts.models import User
from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.demo.data import DEMO_PASSWORD
from passage.demo.load import load_demo
from passage.demo.people import SIGN_INS
from passage.demo.residence import invitation_links
from passage.demo.specs import FORCED
from passage.intake.documents import read_whole
from passage.outbox.models import OutboxMessage
from passage.residence import selectors, services
from passage.residence.models import CardBatch, Confirmation, Ecopr, ResidencePhoto
from passage.residence.specs import RESIDENCE_SPECS
from passage.residence.states import ConfirmationState
from passage.residence.verification import check_pdf

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
SMALL = len(FORCED) + 15
RESIDENCE_KINDS = {spec.kind for spec in RESIDENCE_SPECS}


def demo_sign_in(person: User) -> None:
    """The person is a documented demo account, signs in with the demo password, and
    their email address is verified."""
    assert person.username in {sign_in.username for sign_in in SIGN_INS}
    assert authenticate(username=person.username, password=DEMO_PASSWORD) == person
    assert person.email_verified_at is not None


def in_stage(state: ConfirmationState) -> Confirmation:
    """The demo sponsorships' confirmation at that stage."""
    return Confirmation.objects.select_related("case", "client", "photo").get(
        state=state, case__application__idempotency_key__startswith="demo-residence-"
    )


def test_the_demo_has_a_client_at_each_stage_of_the_confirmation_of_permanent_residence():
    load_demo(size=SMALL, now=NOW)

    invited = in_stage(ConfirmationState.INVITED)
    invitee = User.objects.get(email=invited.email)
    demo_sign_in(invitee)
    # The invitation's link, which `passage load_demo` prints, opens it.
    (link,) = invitation_links().values()
    assert services.invitation(invited.public_id, link.rstrip("/").rsplit("/", 1)[1]) == invited
    for state in set(ConfirmationState) - {ConfirmationState.INVITED}:
        confirmation = in_stage(state)
        assert confirmation.client is not None
        demo_sign_in(confirmation.client)
        assert confirmation in selectors.confirmations_of(confirmation.client)

    officer = User.objects.get(username="officer")
    ready = in_stage(ConfirmationState.READY_FOR_REVIEW)
    assert ready.case.assigned_to == officer
    assert list(selectors.review_queue(officer)) == [ready]
    refused = in_stage(ConfirmationState.PHOTO_REJECTED).photo
    assert refused is not None
    assert not refused.accepted_by_checks
    assert "too_dark" in {failure["code"] for failure in refused.failures}
    returned = in_stage(ConfirmationState.RETURNED)
    assert returned.returned_reason
    assert returned.case.events.get(kind=EventKind.RESIDENCE_RETURNED).actor == officer

    confirmed = in_stage(ConfirmationState.CONFIRMED)
    assert confirmed.confirmed_by == confirmed.case.assigned_to
    ecopr = Ecopr.objects.get(confirmation=confirmed)
    content = read_whole(ecopr.storage_key, ecopr.sha256)
    assert content is not None
    verdict = check_pdf(content, now=NOW)
    assert verdict.genuine, verdict.reason
    assert verdict.credential is not None
    assert verdict.credential.document_number == confirmed.document_number
    ordered = in_stage(ConfirmationState.CARD_ORDERED)
    assert ordered.card_batch is not None
    assert ordered.card_batch.sent_at is not None
    assert list(ordered.card_batch.confirmations.all()) == [ordered]


def test_every_step_follows_the_invitation_and_a_second_load_writes_nothing_new():
    load_demo(size=SMALL, now=NOW)
    models = (Confirmation, ResidencePhoto, Ecopr, CardBatch, CaseEvent)
    before = {model.__name__: model.objects.count() for model in models}
    rows = list(Confirmation.objects.values("pk", "state", "version"))

    load_demo(size=SMALL, now=NOW + timedelta(days=40))

    assert {model.__name__: model.objects.count() for model in models} == before
    assert list(Confirmation.objects.values("pk", "state", "version")) == rows
    assert not OutboxMessage.objects.filter(status="pending", created_at__lt=NOW).exists()
    invited = {(c.case_id, c.position): c.invited_at for c in Confirmation.objects.all()}
    events = CaseEvent.objects.filter(kind__in=RESIDENCE_KINDS)
    assert events.count() > len(invited)
    for event in events:
        assert invited[(event.case_id, event.payload["person"])] <= event.occurred_at < NOW
    for batch in CardBatch.objects.all():
        assert batch.sent_at is not None
        for person in batch.confirmations.all():
            assert person.confirmed_at is not None
            assert person.confirmed_at < batch.created_at < batch.sent_at < NOW
