"""The card order: confirmed permanent residents with an accepted photo and a mailing
address in Canada become a card-production batch, a file a card producer takes (a JSON
manifest of each card's fields and address, and each photo); once the batch is sent,
each person's confirmation says the card was ordered, an event on their case."""

import hashlib
import io
import json
import zipfile
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.actors import SYSTEM, Actor
from passage.cases.commands.engine import Call, run
from passage.intake.documents import read_whole
from passage.residence.errors import NotReady
from passage.residence.models import CardBatch, Confirmation
from passage.residence.specs import ORDER_CARD
from passage.residence.states import ConfirmationState

MANIFEST_VERSION = 1
BATCH_LIMIT = 1000


def waiting_for_a_card() -> "QuerySet[Confirmation]":
    """Confirmed people whose card is not in a batch yet, with an accepted photo and an
    address, whose eCOPR is not revoked: the oldest confirmed first."""
    return (
        Confirmation.objects.filter(
            state=ConfirmationState.CONFIRMED,
            card_batch__isnull=True,
            revoked_at__isnull=True,
            address_given_at__isnull=False,
            photo__accepted_by_checks=True,
        )
        .select_related("case", "photo")
        .order_by("confirmed_at", "pk")
    )


def make_batch(*, by: User | None, idempotency_key: str, now: datetime | None = None) -> CardBatch:
    """Put everyone waiting for a card (up to BATCH_LIMIT) in a new batch and keep its
    file; the same key again returns the same batch. NotReady when nobody waits."""
    at = now or clock.now()
    earlier = CardBatch.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is not None:
        return earlier
    with transaction.atomic():
        people = list(waiting_for_a_card().select_for_update(of=("self",))[:BATCH_LIMIT])
        # The same key sent twice at once: the second waited on the first one's rows.
        earlier = CardBatch.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
        if not people:
            raise NotReady(_("Nobody is waiting for a card."))
        year = at.year
        count = CardBatch.objects.filter(reference__startswith=f"CB-{year}-").count()
        reference = f"CB-{year}-{count + 1:05d}"
        content = batch_file(reference, people, at)
        key = default_storage.save(f"card-batches/{reference}.zip", ContentFile(content))
        try:
            batch = CardBatch.objects.create(
                reference=reference,
                created_at=at,
                created_by=by,
                storage_key=key,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                idempotency_key=idempotency_key,
            )
        except IntegrityError:
            default_storage.delete(key)
            raise
        Confirmation.objects.filter(pk__in=[person.pk for person in people]).update(
            card_batch=batch
        )
    return batch


def batch_file(reference: str, people: list[Confirmation], at: datetime) -> bytes:
    """The zip a card producer takes: `manifest.json` and `photos/<document number>.jpg`."""
    cards = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for person in people:
            photo = person.photo
            assert photo is not None
            assert person.document_number
            content = read_whole(photo.storage_key, photo.sha256)
            if content is None:
                raise NotReady(_("A photo of the batch is missing from storage."))
            name = f"photos/{person.document_number}.jpg"
            archive.writestr(name, content)
            cards.append(
                {
                    "document_number": person.document_number,
                    "uci": person.uci,
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "date_of_birth": person.date_of_birth.isoformat(),
                    "sex": person.sex,
                    "country_of_birth": person.country_of_birth,
                    "became_permanent_resident_on": (
                        person.became_resident_on.isoformat() if person.became_resident_on else None
                    ),
                    "language": person.case.language,
                    "photo": {"file": name, "sha256": photo.sha256},
                    "mail_to": {
                        "name": f"{person.given_names} {person.family_name}",
                        "line": person.address_line,
                        "city": person.address_city,
                        "province": person.address_province,
                        "postal_code": person.address_postal_code,
                        "country": "CA",
                    },
                }
            )
        manifest = {
            "version": MANIFEST_VERSION,
            "batch": reference,
            "created_at": at.isoformat(),
            "cards": cards,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def mark_sent(
    *, batch: CardBatch, by: User | None, idempotency_key: str, now: datetime | None = None
) -> CardBatch:
    """Record that the batch went to the card producer: each person's card is ordered,
    an event on their case, but for anyone revoked since the batch was made. Marking it
    again changes nothing."""
    at = now or clock.now()
    actor: Actor = by if by is not None else SYSTEM
    with transaction.atomic():
        batch = CardBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.sent_at is not None:
            return batch
        # Someone revoked after the batch was made gets no card: the producer's file is
        # already out, so the batch's page and the command say who was left out.
        for person in (
            batch.confirmations.filter(revoked_at__isnull=True)
            .select_related("case")
            .order_by("pk")
        ):

            def effect(case: object, when: datetime, person: Confirmation = person) -> None:
                row = Confirmation.objects.select_for_update().get(pk=person.pk)
                row.state = ConfirmationState.CARD_ORDERED
                row.state_changed_at = when
                row.version += 1
                row.save()

            run(
                ORDER_CARD,
                Call(person.case.public_id, actor, f"{idempotency_key}:{person.pk}", now=at),
                {"person": person.position, "batch": batch.reference},
                effect,
            )
        batch.sent_at = at
        batch.sent_by = by
        batch.save(update_fields=["sent_at", "sent_by"])
    return batch
