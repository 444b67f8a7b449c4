"""The card order: a batch of confirmed permanent residents with their photo and address,
a file a card producer takes, marked sent."""

import io
import json
import re
import zipfile

import pytest

from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.intake.documents import read_whole
from passage.residence import cards, review
from passage.residence.errors import NotReady
from passage.residence.models import CardBatch, Confirmation
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


def test_a_supervisor_makes_a_batch_downloads_it_and_marks_it_sent_from_the_cards_page():
    from tests.accounts.builders import signed_in_with_mfa
    from tests.workbench.builders import create_supervisor

    person = confirmed_person()
    supervisor = signed_in_with_mfa(create_supervisor("ottawa"))
    page = supervisor.get("/fr/residence/cards/")
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.content.decode())

    supervisor.post("/fr/residence/cards/make/", {"idempotency_key": key.group(1)})
    batch = CardBatch.objects.get()
    download = supervisor.get(f"/fr/residence/cards/{batch.reference}/file/")
    supervisor.post(f"/fr/residence/cards/{batch.reference}/sent/", {"idempotency_key": "s"})

    assert download["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("manifest.json")
    person.refresh_from_db()
    assert person.state == ConfirmationState.CARD_ORDERED


def test_officers_and_clients_cannot_open_the_card_orders():
    from tests.accounts.builders import signed_in_with_mfa

    person = confirmed_person()
    officer = signed_in_with_mfa(officer_of(person))

    assert officer.get("/en/residence/cards/").status_code == 403
    assert officer.post("/en/residence/cards/make/", {"idempotency_key": "k"}).status_code == 403


def test_someone_revoked_after_the_batch_was_made_is_not_marked_as_ordered():
    from tests.workbench.builders import create_supervisor

    person = confirmed_person()
    batch = cards.make_batch(by=None, idempotency_key="batch-revoked")
    review.revoke_ecopr(
        supervisor=create_supervisor("ottawa"),
        confirmation_id=person.public_id,
        reason="Issued in error.",
        idempotency_key=key(),
    )

    cards.mark_sent(batch=batch, by=None, idempotency_key="sent")

    person.refresh_from_db()
    assert person.state == ConfirmationState.CONFIRMED
    assert not CaseEvent.objects.filter(case=person.case, kind=EventKind.CARD_ORDERED).exists()
