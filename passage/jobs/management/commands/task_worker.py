"""`passage task_worker`: run background jobs (triage, routing) until stopped, through
database outages, keeping the jobs' leases and queuing triage no job will reach."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from passage.jobs.worker import ResilientWorker


class Command(BaseCommand):
    help = (
        "Run the background jobs of every queue until stopped. A database outage ends a "
        "pass, not the worker; jobs of workers gone quiet are queued again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks")
        parser.add_argument("--batch", action="store_true", help="run what is ready, then exit")
        parser.add_argument("--worker-id", default="", help="unique among workers")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = ResilientWorker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
