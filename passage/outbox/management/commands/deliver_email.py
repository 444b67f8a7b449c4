"""`passage deliver_email`: send the due emails from the outbox once, or keep doing it."""

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import Error, close_old_connections

from passage import clock
from passage.outbox.delivery import DeliveryPass, deliver_due_emails

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the emails waiting in the outbox through the configured email backend. "
        "With --every, stay running and look for due emails at that interval (the worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="deliver every SECONDS (default: PASSAGE_EMAIL_DELIVERY_INTERVAL)",
            nargs="?",
            const=-1,
        )
        parser.add_argument(
            "--batch",
            type=int,
            metavar="N",
            help="rows claimed per batch (default: PASSAGE_EMAIL_BATCH_SIZE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every, batch = options["every"], options["batch"]
        if every is None:
            self._report(self._pass(batch), quiet=False)
            return
        interval = settings.PASSAGE_EMAIL_DELIVERY_INTERVAL if every == -1 else every
        self.stdout.write(f"Delivering emails every {interval} s; Ctrl-C stops.")
        try:
            while True:
                try:
                    # A long-lived worker must survive a database restart between passes.
                    close_old_connections()
                    done = self._pass(batch)
                except Error as error:
                    # A busy or restarting database: the rows wait, the worker goes on.
                    self.stderr.write(f"Email delivery pass failed, trying again: {error}")
                except Exception as error:
                    logger.exception("Email delivery pass failed")
                    self.stderr.write(f"Email delivery pass failed, trying again: {error}")
                else:
                    self._report(done, quiet=True)
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    def _pass(self, batch: int | None) -> DeliveryPass:
        # Each pass first puts back the emails of workers that died while sending, so a
        # worker that starts does too.
        return deliver_due_emails(now=clock.now(), batch_size=batch, clock=clock.now)

    def _report(self, done: DeliveryPass, *, quiet: bool) -> None:
        if quiet and done == DeliveryPass():
            return
        self.stdout.write(
            f"Emails: {done.sent} sent, {done.retrying} to try again, {done.failed} failed."
        )
