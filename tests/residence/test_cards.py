"""The card order: a batch of confirmed permanent residents with their photo and address,
a file a card producer takes, marked sent."""

import io
import json
import zipfile

import pytest

from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.intake.documents import read_whole
from passage.residence import cards, review
from passage.residence.errors import NotReady
from passage.residence.models import Confirmation
from passage.residence.states import ConfirmationState
from tests.residence.builders import DETAILS, key, officer_of, ready_for_review

pytestmark = pytest.mark.django_db


def confirmed_person() -> Confirmation:
    _, principal = ready_for_review()
    review.confirm_residence(
        officer=officer_of(principal),
        confirmation_id=principal.public_id,
        details=DETAILS,
        idempotency_key=key(),
    )
    return Confirmation.objects.get(pk=principal.pk)


def test_the_batch_file_holds_each_card_with_its_photo_and_address():
    person = confirmed_person()

    batch = cards.make_batch(by=None, idempotency_key="batch-1")

    archive = zipfile.ZipFile(io.BytesIO(read_whole(batch.storage_key, batch.sha256)))
    manifest = json.loads(archive.read("manifest.json"))
    (card,) = manifest["cards"]
    assert card["document_number"] == person.document_number
    assert card["mail_to"]["postal_code"] == "K1A 0B1"
    assert archive.read(card["photo"]["file"])[:3] == b"\xff\xd8\xff"
    assert batch.reference.startswith("CB-")


def test_marking_the_batch_sent_orders_each_card_on_its_case():
    person = confirmed_person()
    batch = cards.make_batch(by=None, idempotency_key="batch-2")

    cards.mark_sent(batch=batch, by=None, idempotency_key="sent")
    cards.mark_sent(batch=batch, by=None, idempotency_key="sent")

    person.refresh_from_db()
    assert person.state == ConfirmationState.CARD_ORDERED
    assert CaseEvent.objects.filter(case=person.case, kind=EventKind.CARD_ORDERED).count() == 1


def test_the_same_key_makes_one_batch_and_nobody_waits_twice():
    confirmed_person()

    first = cards.make_batch(by=None, idempotency_key="same")
    again = cards.make_batch(by=None, idempotency_key="same")

    assert again.pk == first.pk
    with pytest.raises(NotReady):
        cards.make_batch(by=None, idempotency_key="another")
