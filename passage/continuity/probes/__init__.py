"""The probes: one check per component, exercising it the way a client would
(`checks.py`), the watcher that runs them on a schedule, keeps what they saw and opens an
incident once a component has failed long enough (`watcher.py`, `passage probe`), and
the pure rule that decides which incidents to open (`decision.py`, no Django).

This module imports nothing, so that the pure rule loads without Django."""
