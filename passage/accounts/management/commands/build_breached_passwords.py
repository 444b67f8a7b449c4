"""`passage build_breached_passwords`: write the bundled list of breached passwords."""

import gzip
from typing import Any

from django.core.management.base import BaseCommand

from passage.accounts.passwords import (
    BREACHED_LIST,
    build_breached_list,
    django_common_passwords,
)


class Command(BaseCommand):
    help = (
        "Rebuild passage/accounts/data/breached-passwords.txt.gz from Django's list of "
        "common passwords and their usual variations (see passage/accounts/passwords.py)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = build_breached_list(django_common_passwords())
        # mtime=0 keeps the file byte-for-byte the same from one build to the next.
        with (
            open(BREACHED_LIST, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as compressed,
        ):
            compressed.write("".join(f"{entry}\n" for entry in entries).encode())
        self.stdout.write(f"{len(entries)} passwords written to {BREACHED_LIST.name}.")
