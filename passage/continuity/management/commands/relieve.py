"""`passage relieve`: bring every open obligation to the due date the outage register
gives, now or on a schedule (an incident still going on moves its obligations further
at each pass)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from passage import clock
from passage.continuity.relief import ReliefReport, recompute_relief
from passage.resilience import run_every


class Command(BaseCommand):
    help = (
        "Apply relief by rule: move the due dates the outage register touches, and move "
        "back the ones a corrected record no longer touches. With --every, keep doing it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="apply relief every SECONDS (default: PASSAGE_RELIEF_INTERVAL)",
            nargs="?",
            const=-1,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        if every is None:
            self._report(recompute_relief(now=clock.now()))
            return
        interval = settings.PASSAGE_RELIEF_INTERVAL if every == -1 else every
        self.stdout.write(f"Applying relief every {interval} s; Ctrl-C stops.")
        try:
            run_every(interval, lambda: recompute_relief(now=clock.now()), name="Relief")
        except KeyboardInterrupt:
            return

    def _report(self, report: ReliefReport) -> None:
        self.stdout.write(
            f"{report.examined} open requests looked at: {report.moved} due dates moved, "
            f"{report.flagged} statutory limits flagged, {report.skipped} changed meanwhile."
        )
