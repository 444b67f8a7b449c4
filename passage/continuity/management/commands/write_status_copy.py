"""`passage write_status_copy`: write the status page's static copy now (at start, after
a deployment; the register's changes write it by themselves)."""

from typing import Any

from django.core.management.base import BaseCommand

from passage.continuity.status_copy import write_status_copy


class Command(BaseCommand):
    help = "Write the static copy of the status page and the 'service unavailable' page."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = write_status_copy()
        if options["verbosity"] > 0:
            self.stdout.write(f"Status page copy written to {folder}")
