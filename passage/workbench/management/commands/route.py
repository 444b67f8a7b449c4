"""`passage route`: assign open files to officers now, or keep doing it on a schedule."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from passage.resilience import run_every
from passage.workbench import services, tasks


class Command(BaseCommand):
    help = (
        "Run routing over the open files nobody has started. With --every, stay running "
        "and queue a routing job for the task worker at that interval (the scheduler)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="queue a routing job every SECONDS (default: PASSAGE_ROUTING_INTERVAL)",
            nargs="?",
            const=-1,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        if every is None:
            run = services.route_open_cases()
            self.stdout.write(
                f"Routing run {run.pk}: {run.cases_considered} open files, "
                f"{run.assigned} assigned, {run.unassigned} left in the shared queue."
            )
            return
        interval = settings.PASSAGE_ROUTING_INTERVAL if every == -1 else every
        self.stdout.write(f"Queuing a routing job every {interval} s; Ctrl-C stops.")
        try:
            # A database outage ends a pass, not the scheduler (passage.resilience).
            run_every(interval, tasks.route_open_cases.enqueue, name="Routing scheduler")
        except KeyboardInterrupt:
            return
