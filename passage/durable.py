"""Writing files that survive a crash: the one helper both the document storage and the
audit checkpoints need once a file is renamed into its folder."""

import os
from pathlib import Path


def fsync_folder(folder: str | Path) -> None:
    """Flush a folder's entries to disk, so that a file just renamed into it stays there
    after a power loss."""
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
