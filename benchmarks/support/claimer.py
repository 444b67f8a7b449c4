"""Officers for the next-file benchmark: a process that runs some officers, one thread
each (with its own database connection, as a threaded web worker would), taking files
through Passage's `claim_next_case` at a paced rate and writing each claim's latency to
a JSON file.

Run by benchmarks/routing.py, several at a time:
    python benchmarks/support/claimer.py OFFICER_IDS GO_FILE SECONDS RATE OUT.json

OFFICER_IDS is a comma-separated list. Once set up the process creates OUT.json.ready,
then waits for GO_FILE, which holds the instant (seconds since the epoch) at which every
officer starts.
"""

import json
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
# Claims before the clock starts, so that each statement is prepared on each connection,
# as on a web worker's long-lived one (psycopg prepares a statement on its fifth use).
WARM_UP_CLAIMS = 5


def main() -> None:
    officer_ids, go_file, seconds, rate, out = sys.argv[1:6]
    import django

    django.setup()
    from django.db import connection

    from passage.accounts.models import User
    from passage.workbench.services import claim_next_case

    officers = [User.objects.get(pk=int(pk)) for pk in officer_ids.split(",")]
    connection.close()
    go = Path(go_file)
    ready = threading.Barrier(len(officers) + 1)
    results: list[dict[str, object]] = []

    def officer_day(officer: User) -> None:
        officer.role_names()
        rng = random.Random(officer.pk)
        latencies: list[float] = []
        taken: list[int] = []
        empty = 0
        for _ in range(WARM_UP_CLAIMS):
            warm_up = claim_next_case(officer=officer, idempotency_key=uuid.uuid4().hex)
            if warm_up.case is not None:
                taken.append(warm_up.case.pk)
        ready.wait()
        while not go.exists():
            time.sleep(0.05)
        start = float(go.read_text())
        time.sleep(max(0.0, start - time.time()))
        deadline = start + float(seconds)
        next_at = start
        while True:
            # Poisson arrivals: officers ask for their next file at random moments.
            next_at += rng.expovariate(float(rate))
            if next_at >= deadline or time.time() >= deadline:
                break
            time.sleep(max(0.0, next_at - time.time()))
            began = time.perf_counter()
            result = claim_next_case(officer=officer, idempotency_key=uuid.uuid4().hex)
            latencies.append(time.perf_counter() - began)
            if result.case is None:
                empty += 1
            else:
                taken.append(result.case.pk)
        connection.close()
        results.append({"latencies": latencies, "taken": taken, "empty": empty})

    threads = [threading.Thread(target=officer_day, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    ready.wait()
    Path(f"{out}.ready").touch()
    for thread in threads:
        thread.join()
    merged = {
        "latencies": [x for r in results for x in r["latencies"]],  # type: ignore[attr-defined]
        "taken": [x for r in results for x in r["taken"]],  # type: ignore[attr-defined]
        "empty": sum(int(r["empty"]) for r in results),  # type: ignore[call-overload]
    }
    Path(out).write_text(json.dumps(merged))


if __name__ == "__main__":
    main()
