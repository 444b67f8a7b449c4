"""What machine a benchmark ran on, for its section of results.md."""

import platform
import subprocess
from pathlib import Path


def machine_facts() -> dict[str, str]:
    """Cores (as `nproc` sees them), CPU model, memory and kernel."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "cores": cores,
        "cpu": cpu,
        "memory": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "kernel": platform.release(),
    }
