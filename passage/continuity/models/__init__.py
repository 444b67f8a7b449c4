"""The continuity app's tables: the outage register and its trail (`register.py`), what
the probes saw (`probes.py`), and the submissions the intake spool replayed (`spool.py`)."""

from passage.continuity.models.probes import ProbeResult
from passage.continuity.models.register import (
    Component,
    Outage,
    OutageKind,
    OutageStatus,
    OutageUpdate,
    ReferenceCounter,
)
from passage.continuity.models.spool import SpooledSubmission

__all__ = [
    "Component",
    "Outage",
    "OutageKind",
    "OutageStatus",
    "OutageUpdate",
    "ProbeResult",
    "ReferenceCounter",
    "SpooledSubmission",
]
