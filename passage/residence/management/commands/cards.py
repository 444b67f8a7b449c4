"""`passage cards`: permanent resident card orders.

passage cards make [--output FILE.zip]     a batch of everyone waiting for a card
passage cards sent REFERENCE               the batch went to the card producer
passage cards list                         the batches and how many wait"""

import uuid
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from passage.intake.documents import read_whole
from passage.residence.cards import make_batch, mark_sent, waiting_for_a_card
from passage.residence.errors import NotReady
from passage.residence.models import CardBatch


class Command(BaseCommand):
    help = "Make a card-production batch, mark one sent, or list them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        make = actions.add_parser("make", help="Batch everyone waiting for a card.")
        make.add_argument("--output", type=Path, default=None, metavar="FILE.zip")
        make.add_argument("--key", default=None, help="idempotency key (default: a new one)")
        sent = actions.add_parser("sent", help="Mark a batch sent to the card producer.")
        sent.add_argument("reference")
        actions.add_parser("list", help="List the batches.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "make":
            try:
                batch = make_batch(by=None, idempotency_key=options["key"] or uuid.uuid4().hex)
            except NotReady as error:
                raise CommandError(error.message) from None
            count = batch.confirmations.count()
            self.stdout.write(f"{batch.reference}: {count} cards, {batch.size} bytes")
            if options["output"] is not None:
                content = read_whole(batch.storage_key, batch.sha256)
                if content is None:
                    raise CommandError("The batch file is missing or damaged.")
                options["output"].write_bytes(content)
        elif action == "sent":
            found = CardBatch.objects.filter(reference=options["reference"]).first()
            if found is None:
                raise CommandError(f"No batch {options['reference']}.")
            sent = mark_sent(batch=found, by=None, idempotency_key=f"sent:{found.reference}")
            self.stdout.write(f"{sent.reference}: sent {sent.sent_at:%Y-%m-%d %H:%M}")
        else:
            for batch in CardBatch.objects.order_by("created_at"):
                state = f"sent {batch.sent_at:%Y-%m-%d}" if batch.sent_at else "not sent"
                self.stdout.write(f"{batch.reference}\t{batch.confirmations.count()}\t{state}")
            self.stdout.write(f"waiting for a card: {waiting_for_a_card().count()}")
