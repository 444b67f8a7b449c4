"""Memory of this process as the kernel counts it: resident now, and the peak since a reset."""

import resource
from pathlib import Path


def rss_kib() -> int:
    """Resident memory now, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process (VmHWM), where Linux allows it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_kib() -> int:
    """Peak resident memory since the last reset (or since the start), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
