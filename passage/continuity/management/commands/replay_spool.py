"""`passage replay_spool`: file the submissions the intake spool received while the
database was out of reach, once, or on a schedule (the long-running replayer)."""

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from passage import clock
from passage.continuity.spool import SpoolUnavailable, current_spool, spool_enabled
from passage.continuity.spool.replay import ReplayPass, replay_pending
from passage.resilience import run_every

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Turn each submission the intake spool holds into a case, exactly once, filed at "
        "the time it was received, and email its reference. Without --once, keep doing it "
        "every PASSAGE_SPOOL_REPLAY_INTERVAL seconds, riding out database outages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="look every SECONDS (default: PASSAGE_SPOOL_REPLAY_INTERVAL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not spool_enabled():
            self.stdout.write("The intake spool is off (PASSAGE_SPOOL=off): nothing to replay.")
            return
        if options["once"]:
            self._report(replay_pending(current_spool(), clock=clock.now), quiet=False)
            return
        interval = options["every"] or settings.PASSAGE_SPOOL_REPLAY_INTERVAL
        self.stdout.write(f"Replaying the intake spool every {interval:g} s; Ctrl-C stops.")
        try:
            run_every(interval, self._pass, name="Intake spool replayer")
        except KeyboardInterrupt:
            return

    def _pass(self) -> None:
        try:
            done = replay_pending(current_spool(), clock=clock.now)
        except SpoolUnavailable as error:
            # The broker is out of reach: its messages wait there, and so does this.
            logger.warning("Intake spool replayer: the spool is unavailable (%s)", error.detail)
            return
        self._report(done, quiet=True)

    def _report(self, done: ReplayPass, *, quiet: bool) -> None:
        if quiet and not done.total:
            return
        self.stdout.write(
            f"Spool: {done.created} filed, {done.replayed} already filed under their key, "
            f"{done.rejected} refused, {done.already} let go after an earlier pass."
        )
