"""Writing files that survive a crash: flushing a folder once a file is renamed into it
(the document storage, the audit checkpoints, the status page's copy, the eCOPR keys),
and one writer at a time in a folder shared by several processes."""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_folder(folder: str | Path) -> None:
    """Flush a folder's entries to disk, so that a file just renamed into it stays there
    after a power loss."""
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def one_writer_at_a_time(folder: Path) -> Iterator[None]:
    """Hold the folder's lock file (`.lock`, made if missing) while the block runs, so
    that processes writing the same files take turns."""
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
