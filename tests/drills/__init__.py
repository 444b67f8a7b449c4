"""Fault drills on a private PostgreSQL cluster: Passage's real processes (granian, the
task worker) run against it while it restarts, stops or freezes, or while workers are
killed. Run them alone with `pytest -m drill tests/drills`."""
