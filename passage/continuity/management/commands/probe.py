"""`passage probe`: exercise every component the way a client would, once, or on a
schedule (the long-running watcher), and open an incident for staff to confirm once a
component has failed for PASSAGE_PROBE_OPEN_AFTER seconds running."""

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import Error, close_old_connections

from passage.continuity.probes.checks import NOT_MONITORED
from passage.continuity.probes.watcher import PassReport, Watcher
from passage.resilience import run_every

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Probe sign-in, intake, uploads, the tracker, messages, the API and email as a "
        "client would, keep the results, and open an incident for a component that has "
        "failed on every probe for PASSAGE_PROBE_OPEN_AFTER seconds. Without --once, keep "
        "doing it every PASSAGE_PROBE_INTERVAL seconds, riding out database outages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="probe every SECONDS (default: PASSAGE_PROBE_INTERVAL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        watcher = Watcher()
        if options["once"]:
            self._report(watcher.probe_once(), quiet=False)
            return
        interval = options["every"] or settings.PASSAGE_PROBE_INTERVAL
        self.stdout.write(
            f"Probing every {interval:g} s (not monitored: {', '.join(sorted(NOT_MONITORED))}); "
            "Ctrl-C stops."
        )

        def one_pass() -> None:
            # A long-lived process must not hold a connection the database dropped.
            close_old_connections()
            try:
                self._report(watcher.probe_once(), quiet=True)
            except Error:
                raise  # the scheduler's to log, with its backoff
            except Exception:
                # Anything else is logged, and the next pass comes at the interval.
                logger.exception("Probes: a pass failed")

        try:
            run_every(interval, one_pass, name="Probes")
        except KeyboardInterrupt:
            return

    def _report(self, done: PassReport, *, quiet: bool) -> None:
        failing = [result for result in done.results if not result.ok]
        if not quiet:
            for result in done.results:
                state = "ok" if result.ok else f"FAILED: {result.detail}"
                self.stdout.write(f"{result.component}: {state} ({result.milliseconds} ms)")
            for component in sorted(NOT_MONITORED):
                self.stdout.write(f"{component}: not monitored")
        elif failing:
            self.stdout.write(
                "Probes failing: "
                + "; ".join(f"{result.component} ({result.detail})" for result in failing)
            )
        if not done.database_up:
            self.stdout.write("The database does not answer: results are kept in memory.")
        for reference in done.opened:
            self.stdout.write(f"Opened incident {reference} for staff to confirm.")
