"""Which routine files go to blind quality review: a fixed share, chosen by the case's id
so that a retried triage job makes the same choice."""

import hashlib
from uuid import UUID


def sampled_for_blind_review(case_id: UUID, share: float) -> bool:
    """True for about `share` (0 to 1) of all cases, always the same ones."""
    digest = hashlib.sha256(f"blind-review:{case_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64
