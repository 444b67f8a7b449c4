"""The `passage` command: Django's management commands under one name."""

import os
import sys
from typing import IO


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["passage", *sys.argv[1:]])


if __name__ == "__main__":
    main()


def open_stream(name: str, mode: str, standard: IO[str]) -> IO[str]:
    """The file a command's `--input` or `--output` names, or `standard` for `-`; a file
    that cannot be opened is a usage error (exit status 2)."""
    from django.core.management.base import CommandError

    if name == "-":
        return standard
    try:
        return open(name, mode, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot open {name}: {error.strerror}", returncode=2) from error
