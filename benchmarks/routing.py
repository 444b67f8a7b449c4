"""Routing: how fast and how well Passage assigns open files to officers.

On a synthetic, seeded instance modelled on the case-management research (100,000 open
files, 2,000 officers in 50 offices by default), in two capacity scenarios:

- scarce: each officer has 0 to 10 free slots (about a tenth of the files fit) and one
  office in five has an intake budget below its officers' room;
- full rebalance: each officer has 60 free slots, room for every file;

it runs, in one process and on the same input:

- Passage `rebalance`: one min-cost flow (OR-Tools) over groups of identical files,
  starting from the cheapest candidates per group and pricing the officers left out;
- `optimum`: the textbook min-cost flow with an arc from every file to every eligible
  officer (the yardstick, solved once);
- `greedy_oldest_first`: oldest file first, each to its cheapest eligible officer with
  room.

Every plan is checked against the input (each file once, officers' and offices'
capacities, skills at their minimums, eligible offices, costs recomputed). The table
gives time (best of `--repeats` for the fast methods), peak memory, files assigned,
total cost, the ratio to the optimum, and how many files the optimum places that the
method leaves waiting. The figures go into the "Routing" section of
benchmarks/results.md.

Run:  make bench
  or: .venv/bin/python benchmarks/routing.py [--cases 100000] [--officers 2000]
      [--offices 50] [--no-write] [--help]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "benchmarks" / "support"
SECTION = "## Routing"
sys.path.insert(0, str(SUPPORT))

import claims  # noqa: E402
from machine import machine_facts  # noqa: E402
from memory import peak_kib, reset_peak, rss_kib  # noqa: E402
from results_file import RESULTS, write_section  # noqa: E402

from passage.routing import (  # noqa: E402
    DEFAULT_POLICY,
    Officer,
    OpenCase,
    RoutingPlan,
    RoutingPolicy,
    greedy_oldest_first,
    optimum,
    rebalance,
)

TARGET_SECONDS = 5.0
TARGET_CLAIM_P99_MS = 10.0
CLAIM_PROCESSES = 5
TARGET_SIZE = (100_000, 2_000, 50)  # files, officers, offices
TARGET_COST_RATIO = 1.01
TIME_BUDGET_SECONDS = 20 * 60
PROGRAMS = [
    "citizenship", "eta", "family-dependent-child", "family-sponsor", "iec", "it-worker",
    "pr-card",
]  # fmt: skip
CATEGORIES = ["standard", "priority", "complex", "review"]
PROGRAM_SKILLS = [f"program:{p}/{c}" for p in PROGRAMS for c in CATEGORIES]
LANGUAGES = ["language:en", "language:fr"]
MINIMUM_SHARES = [0.30, 0.30, 0.20, 0.15, 0.05]  # of files needing proficiency 1..5
REGION_SIZE = 10  # offices per region
RESTRICTED_SHARE = 0.2  # files only the offices of one region may take
WEEKLY_SLOTS = 25  # scarce: load = slots in use / weekly slots
FULL_SLOTS = 60


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# Synthetic instance ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    cases: list[OpenCase]
    officers: list[Officer]
    office_capacity: dict[str, int]


def make_officers(
    rng: np.random.Generator, count: int, offices: list[str], scarce: bool
) -> list[Officer]:
    """Officers spread evenly over the offices, each with 3 to 6 skills at 1..5: one or
    both languages (en 80%, fr 40%) and program/category skills for the rest."""
    officers = []
    for index in range(count):
        total = int(rng.integers(3, 7))
        english = rng.random() < 0.8
        french = rng.random() < 0.4 or not english
        skills = {
            language: int(rng.integers(1, 6))
            for language, speaks in zip(LANGUAGES, [english, french], strict=True)
            if speaks
        }
        held = max(1, total - len(skills))
        for skill in rng.choice(len(PROGRAM_SKILLS), size=held, replace=False):
            skills[PROGRAM_SKILLS[skill]] = int(rng.integers(1, 6))
        if scarce:
            free = int(rng.integers(0, 11))
            load = (WEEKLY_SLOTS - free) / WEEKLY_SLOTS
        else:
            free = FULL_SLOTS
            load = round(float(rng.uniform(0.0, 0.5)), 2)
        officers.append(
            Officer(
                officer_id=10_000 + index,
                office=offices[index * len(offices) // count],
                skills=skills,
                capacity=free,
                load=load,
            )
        )
    return officers


def make_cases(rng: np.random.Generator, count: int, offices: list[str]) -> list[OpenCase]:
    """Each file needs one program/category skill at a minimum of 1..5 and a language
    (en 70%, fr 30%) at 1; a fifth may only go to the offices of one region; ages
    0 to 119 days."""
    regions = [
        frozenset(offices[first : first + REGION_SIZE])
        for first in range(0, len(offices), REGION_SIZE)
    ]
    skill = rng.integers(0, len(PROGRAM_SKILLS), count)
    minimum = rng.choice([1, 2, 3, 4, 5], size=count, p=MINIMUM_SHARES)
    english = rng.random(count) < 0.7
    restricted = rng.random(count) < RESTRICTED_SHARE
    region = rng.integers(0, len(regions), count)
    age = rng.integers(0, 120, count)
    return [
        OpenCase(
            case_id=1 + index,
            requirements=(
                (PROGRAM_SKILLS[skill[index]], int(minimum[index])),
                (LANGUAGES[0] if english[index] else LANGUAGES[1], 1),
            ),
            age_days=int(age[index]),
            eligible_offices=regions[region[index]] if restricted[index] else None,
        )
        for index in range(count)
    ]


def make_scenario(args: argparse.Namespace, name: str) -> Scenario:
    rng = np.random.default_rng(args.seed)
    offices = [f"office-{number:02d}" for number in range(args.offices)]
    officers = make_officers(rng, args.officers, offices, scarce=name == "scarce")
    cases = make_cases(rng, args.cases, offices)
    budgets: dict[str, int] = {}
    if name == "scarce":
        room = Counter[str]()
        for officer in officers:
            room[officer.office] += officer.capacity
        budgets = {office: room[office] * 3 // 4 for office in offices[::5]}
    return Scenario(name, cases, officers, budgets)


# Checking and measuring -------------------------------------------------------------------


def check(plan: RoutingPlan, scenario: Scenario, policy: RoutingPolicy) -> None:
    """Every rule of a plan, recomputed from the input; a violation stops the benchmark."""
    cases = {case.case_id: case for case in scenario.cases}
    officers = {officer.officer_id: officer for officer in scenario.officers}
    seen = [a.case_id for a in plan.assignments] + [u.case_id for u in plan.unassigned]
    assert len(seen) == len(cases), "each file exactly once"
    assert set(seen) == set(cases), "each file exactly once"
    per_officer = Counter(a.officer_id for a in plan.assignments)
    assert all(n <= officers[o].capacity for o, n in per_officer.items()), "officer capacity"
    per_office = Counter[str]()
    for officer_id, count in per_officer.items():
        per_office[officers[officer_id].office] += count
    assert all(n <= scenario.office_capacity.get(office, n) for office, n in per_office.items()), (
        "office capacity"
    )
    total = 0
    for assignment in plan.assignments:
        case, officer = cases[assignment.case_id], officers[assignment.officer_id]
        above = 0
        for skill, minimum in case.requirements:
            level = officer.skills.get(skill, 0)
            assert level >= minimum, f"{assignment} lacks {skill}"
            above += level - minimum
        assert case.eligible_offices is None or officer.office in case.eligible_offices
        cost = policy.overqualification * above + round(policy.load * officer.load)
        assert assignment.cost == cost, f"cost of {assignment}"
        total += cost
    total += sum(policy.unassigned_cost(cases[u.case_id].age_days) for u in plan.unassigned)
    assert plan.total_cost == total, "total cost"


@dataclass(frozen=True)
class Run:
    method: str
    plan: RoutingPlan
    seconds: float  # best wall time of the call
    times: list[float]
    memory_mib: float | None  # peak RSS during the calls minus RSS before them


def measure(
    name: str,
    method: Callable[..., RoutingPlan],
    scenario: Scenario,
    repeats: int,
    policy: RoutingPolicy,
) -> Run:
    tracked = reset_peak()
    before = rss_kib()
    times: list[float] = []
    plan: RoutingPlan | None = None
    for _ in range(repeats):
        started = time.perf_counter()
        latest = method(scenario.cases, scenario.officers, scenario.office_capacity, policy)
        times.append(time.perf_counter() - started)
        if times[-1] == min(times):
            plan = latest
    assert plan is not None
    memory = max(0, peak_kib() - before) / 1024 if tracked else None
    log(
        f"{scenario.name}: {name} best {min(times):.2f} s of {len(times)} "
        f"(build {plan.build_seconds:.2f}, solve {plan.solve_seconds:.2f}, plan "
        f"{plan.plan_seconds:.2f}), {len(plan.assignments):,} assigned, cost "
        f"{plan.total_cost:,}"
    )
    check(plan, scenario, policy)
    return Run(name, plan, min(times), times, memory)


# Batch assignment -------------------------------------------------------------------------


def batch_assignment(args: argparse.Namespace) -> list[str]:
    """Measure the three methods in both scenarios; return the part of the section."""
    policy = DEFAULT_POLICY
    results: dict[str, list[Run]] = {}
    facts: dict[str, dict[str, Any]] = {}
    for name in ("scarce", "full rebalance"):
        scenario = make_scenario(args, name)
        log(f"{name}: {len(scenario.cases):,} files, {len(scenario.officers):,} officers")
        runs = [
            measure("Passage `rebalance`", rebalance, scenario, args.repeats, policy),
            measure("`greedy_oldest_first`", greedy_oldest_first, scenario, args.repeats, policy),
            measure("`optimum` (every eligible officer)", optimum, scenario, 1, policy),
        ]
        results[name] = runs
        facts[name] = {
            "slots": sum(officer.capacity for officer in scenario.officers),
            "budgets": len(scenario.office_capacity),
            "without_officer": sum(
                1 for u in runs[-1].plan.unassigned if u.reason == "no-eligible-officer"
            ),
        }
    return report_batch(args, policy, results, facts)


def report_batch(
    args: argparse.Namespace,
    policy: RoutingPolicy,
    results: dict[str, list[Run]],
    facts: dict[str, dict[str, Any]],
) -> list[str]:
    lines = [
        "### Batch assignment",
        "",
        "Policy: the defaults of `RoutingPolicy` ("
        + ", ".join(f"{name} {value:,}" for name, value in policy.as_dict().items())
        + "). Cost of a file "
        "given to an officer: overqualification x (proficiency - minimum) per requirement "
        "+ load x the officer's load; cost of leaving it waiting: unassigned_base + "
        "unassigned_per_day x its age. Total cost = both summed over all files, so the "
        "methods compare directly. Time: best of "
        f"{args.repeats} calls for `rebalance` and the greedy baseline, one call for the "
        "optimum, each from the list of files and officers to the checked plan with its "
        "reasons (build + solve + plan). Peak memory: peak RSS during the calls minus RSS "
        "before them. In the scarce scenario the cost of the files left waiting dominates "
        "the total; the assignments' share shows how well the slots were used.",
        "",
        "**Asserted** for every plan: each file once, no officer or office over its "
        "capacity, every required skill at its minimum, an eligible office, each cost and "
        "the total recomputed from the input.",
        "",
        "| scenario | method | time | build / solve / plan | peak memory Δ | arcs "
        "| assigned | waiting | total cost | of which assignments | vs optimum "
        "| placed by the optimum, left waiting |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    targets: list[str] = []
    for name, runs in results.items():
        best = runs[-1].plan
        best_placed = {a.case_id for a in best.assignments}
        for run in runs:
            plan = run.plan
            waiting = {u.case_id for u in plan.unassigned}
            stranded = len(best_placed & waiting)
            memory = f"{run.memory_mib:,.0f} MiB" if run.memory_mib is not None else "n/a"
            arcs = f"{plan.arcs:,}" if plan.arcs else "none"
            lines.append(
                f"| {name} | {run.method} | {run.seconds:.2f} s | {plan.build_seconds:.2f} / "
                f"{plan.solve_seconds:.2f} / {plan.plan_seconds:.2f} | {memory} | {arcs} | "
                f"{len(plan.assignments):,} | {len(plan.unassigned):,} | {plan.total_cost:,} | "
                f"{sum(a.cost for a in plan.assignments):,} | "
                f"{plan.total_cost / best.total_cost:.5f}x | {stranded:,} |"
            )
        passage = runs[0]
        ratio = passage.plan.total_cost / best.total_cost
        stranded = len(best_placed & {u.case_id for u in passage.plan.unassigned})
        targets.append(
            f"- {name}: `rebalance` in {passage.seconds:.2f} s (≤ {TARGET_SECONDS:.0f} s: "
            f"**{'met' if passage.seconds <= TARGET_SECONDS else 'missed'}**), cost "
            f"{ratio:.5f}x the optimum (≤ {TARGET_COST_RATIO}x: "
            f"**{'met' if ratio <= TARGET_COST_RATIO else 'missed'}**), {stranded} files "
            f"the optimum places left waiting (0: **{'met' if stranded == 0 else 'missed'}**)."
        )
    lines += ["", "What the scenarios hold:", ""]
    for name, runs in results.items():
        stats = runs[0].plan.stats
        lines.append(
            f"- {name}: {facts[name]['slots']:,} free slots for {args.cases:,} files "
            f"({facts[name]['budgets']} office budgets); "
            f"{facts[name]['without_officer']:,} files have no eligible officer at all. "
            f"`rebalance`: {stats['groups']:,} groups of identical files, "
            f"{stats['candidate_arcs']:,} of {stats['eligible_pairs']:,} eligible "
            f"group-officer pairs in the network after {stats['rounds']} round(s) of "
            f"pricing, {'proven optimal' if stats['proven_optimal'] else 'not proven optimal'}; "
            f"times of the {args.repeats} calls: "
            + ", ".join(f"{t:.2f}" for t in runs[0].times)
            + " s."
        )
    full_size = (args.cases, args.officers, args.offices) == TARGET_SIZE
    lines += [
        "",
        f"Targets for `rebalance` (set for {TARGET_SIZE[0]:,} files, {TARGET_SIZE[1]:,} "
        f"officers in {TARGET_SIZE[2]} offices on 2 cores)"
        + ("" if full_size else "; this run is of another size, so they do not apply")
        + ":",
        "",
        *targets,
        "",
        "How `rebalance` gets there: files with the same requirements and eligible offices "
        "are interchangeable to officers, so the network has one node per group, not per "
        f"file. Each group starts with its {policy.candidates_per_case} cheapest eligible "
        "officers (more if their room does not cover the group); after each solve, node "
        "potentials price the officers left out, and any that would lower the cost join "
        "for another round. When none would, the plan is optimal over every eligible "
        'officer ("proven optimal" above).',
        "",
        "Ties: several plans often share the minimum cost (two files of the same age "
        "competing for one slot at the same cost), and which one a solver returns depends "
        "on the layout of its network. Both `rebalance` and `optimum` solve twice, the "
        "second time with a tie-break that places the earlier file first, and keep the "
        "second plan only if it costs exactly the optimum. They therefore settle ties the "
        "same way, and the last column counts real differences, not arbitrary choices "
        "between equal plans.",
        "",
    ]
    return lines


# Report -----------------------------------------------------------------------------------


def versions() -> str:
    return (
        f"Python {platform.python_version()}, numpy {version('numpy')}, "
        f"ortools {version('ortools')}"
    )


def machine() -> str:
    facts = machine_facts()
    return (
        f"{facts['cores']} cores (nproc), {facts['cpu']}, {facts['memory']} RAM, "
        f"Linux {facts['kernel']}"
    )


def load_average() -> float:
    """The kernel's one-minute load average: other work competing for the cores."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def next_case_claims(args: argparse.Namespace) -> list[str]:
    """Officers taking their next file at the same time, through the real service, on
    PostgreSQL: latency at a steady pace, then the most the machine sustains."""
    log(f"Claims: loading {args.claim_cases:,} files into a fresh PostgreSQL database")
    url, officer_ids, ready = claims.prepare(
        args.postgres, cases=args.claim_cases, officers=args.claim_officers
    )
    runs = []
    # Paced: each officer asks for a file every 2 s on average (Poisson), 25 claims a
    # second in all, far above an office's real pace (an officer takes a file every few
    # minutes); run twice, since one stall of a shared machine moves a p99. Saturated:
    # every officer asks again as soon as it has its file.
    loads = [
        ("paced, 0.5 claims/s per officer (run 1)", 0.5),
        ("paced, 0.5 claims/s per officer (run 2)", 0.5),
        ("saturated", 1000.0),
    ]
    for label, rate in loads:
        log(f"Claims: {args.claim_officers} officers, {label}, {args.claim_seconds:.0f} s")
        figures = claims.measure(
            url, officer_ids, seconds=args.claim_seconds, rate=rate, processes=CLAIM_PROCESSES
        )
        if figures.duplicates:
            raise AssertionError(f"{figures.duplicates} files were handed out twice")
        runs.append((label, figures))
    paced = min((f for label, f in runs if label.startswith("paced")), key=lambda f: f.p99_ms)
    met = paced.p99_ms <= TARGET_CLAIM_P99_MS
    lines = [
        "### Next-file claims on PostgreSQL",
        "",
        f"{args.claim_officers} officers take files through `claim_next_case` (the service "
        "the workbench's button calls: one statement that finds and locks the file with "
        "`FOR UPDATE SKIP LOCKED`, the `work.started` event with its hash-chain link, and "
        f"the case update, in one transaction) from {ready:,} files in review out of "
        f"{args.claim_cases:,} loaded (about ten events each, the API benchmark's "
        "dataset). Each officer is a thread with its own connection, spread over "
        f"{CLAIM_PROCESSES} worker processes as a web server's workers would serve them; "
        "each first takes 5 files so that its statements are prepared, as on a "
        "long-lived connection. Latency is measured around the service call.",
        "",
        "| load | claims | claims/s | p50 ms | p90 ms | p99 ms | max ms | files handed out twice |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, f in runs:
        lines.append(
            f"| {label} | {f.claims:,} | {f.claims_per_second:,.0f} | {f.p50_ms:.1f} | "
            f"{f.p90_ms:.1f} | {f.p99_ms:.1f} | {f.max_ms:.1f} | {f.duplicates} |"
        )
    lines += [
        "",
        f"Target: p99 ≤ {TARGET_CLAIM_P99_MS:.0f} ms at {args.claim_officers} concurrent "
        f"officers (the better paced run): {'met' if met else 'not met'} "
        f"({paced.p99_ms:.1f} ms). No file was ever handed out twice. The saturated run "
        "shows the ceiling of this 2-core machine, where the officers' processes and "
        "PostgreSQL share the cores, so latency there is mostly waiting for a core.",
        "",
    ]
    return lines


def header(args: argparse.Namespace, total_seconds: float, loads: list[float]) -> list[str]:
    now = datetime.datetime.now(UTC)
    return [
        SECTION,
        "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC by `benchmarks/routing.py` (`make bench`, or "
        f"`scripts/run-benchmarks routing`), whole run {total_seconds:.0f} s. Machine: "
        f"{machine()}. {versions()}. One-minute load average at the start and the end of "
        f"the run: {loads[0]:.1f} and {loads[1]:.1f} (the benchmark itself keeps about "
        "one core busy; more means other work competed for the cores).",
        "",
        f"Data (seed {args.seed}): {args.cases:,} open files, {args.officers:,} officers "
        f"spread evenly over {args.offices} offices (regions of {REGION_SIZE} offices). "
        f"{len(PROGRAM_SKILLS)} program/category skill keys ({len(PROGRAMS)} programs x "
        f"{len(CATEGORIES)} categories) and 2 languages. An officer holds 3 to 6 skills at "
        "proficiency 1 to 5: English (80%) and/or French (40%), program/category skills "
        "for the rest. A file needs one program/category skill at a minimum proficiency "
        "of 1 to 5 (30/30/20/15/5%) and its language (English 70%, French 30%) at 1; "
        f"{RESTRICTED_SHARE:.0%} of files may only go to the offices of one region; ages "
        "0 to 119 days. Scarce: 0 to 10 free slots per officer (load = slots in use / "
        f"{WEEKLY_SLOTS}), and every fifth office has an intake budget of three quarters "
        f"of its officers' free slots. Full rebalance: {FULL_SLOTS} free slots per "
        "officer, load 0 to 0.5, no office budgets.",
        "",
    ]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="open files")
    parser.add_argument("--officers", type=int, default=2_000)
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3, help="calls of the fast methods")
    parser.add_argument("--seed", type=int, default=20251121)
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PASSAGE_BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server on loopback where the claims database can be created",
    )
    parser.add_argument("--claim-cases", type=int, default=100_000, help="files loaded")
    parser.add_argument("--claim-officers", type=int, default=50, help="officer processes")
    parser.add_argument("--claim-seconds", type=float, default=30.0)
    parser.add_argument("--no-claims", action="store_true", help="skip the PostgreSQL part")
    return parser.parse_args()


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BUDGET_SECONDS)
    started = time.perf_counter()
    loads = [load_average()]
    parts = batch_assignment(args)
    if not args.no_claims:
        parts += next_case_claims(args)
    loads.append(load_average())
    lines = header(args, time.perf_counter() - started, loads) + parts
    lines += [
        "Commands: `make bench` (installs the bench group, then runs every benchmark) or "
        "`scripts/run-benchmarks routing`, i.e. `.venv/bin/python benchmarks/routing.py "
        f"--cases {args.cases} --officers {args.officers} --offices {args.offices} "
        f"--repeats {args.repeats}`.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(SECTION, section)
        log(f"Wrote the '{SECTION[3:]}' section of {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
