"""Rules engine: how fast Passage evaluates eligibility, column by column and line by line.

On synthetic IEC applications (seeded, 1,000,000 by default: mostly eligible, some failing
each criterion, some with missing facts, all three categories, partner and non-partner
countries) it compares:

- Passage columnar: `evaluate_frame` on a prepared Polars facts frame (per-criterion
  results kept, then the tier), and end to end `evaluate_batch` (full result lines with
  details and citations) on a sample;
- Passage scalar: `evaluate` (result line) and `explain` (criteria with their trace) one
  line at a time on a sample, median and p99 per application;
- a naive per-record Python loop with hand-written if-statements for the same rules;
- OpenFisca (openfisca-core) with the same rules written the idiomatic way and with
  lookup arrays (benchmarks/support/openfisca_iec.py);

and, on a mixed batch of every program that has a rules.yaml (lines from each program's
scenarios.yaml, repeated, some with a fact dropped), `triage_lines` against `evaluate`.

Every implementation runs in its own process (for a clean peak memory) on the same seeded
data; the benchmark asserts they give the same per-criterion pass/fail/unknown and the
same tier on every line. The figures go into the "Rules engine" section of
benchmarks/results.md.

Run:  make bench
  or: .venv/bin/python benchmarks/rules.py [--rows 1000000] [--no-write] [--help]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime
import gc
import io
import json
import platform
import pstats
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "benchmarks" / "support"
PROGRAMS = ROOT / "programs"
SECTION = "## Rules engine"
sys.path.insert(0, str(SUPPORT))

from iec import CATEGORIES, CRITERIA, IEC  # noqa: E402
from machine import machine_facts  # noqa: E402
from memory import peak_kib, reset_peak, rss_kib  # noqa: E402
from results_file import RESULTS, write_section  # noqa: E402

from passage.programs import read_programs  # noqa: E402
from passage.rules import (  # noqa: E402
    evaluate,
    evaluate_batch,
    evaluate_frame,
    explain,
    expressions,
)
from passage.rules.expressions import given_key  # noqa: E402
from passage.rules.programs import triage_lines  # noqa: E402
from passage.rules.results import criterion_values  # noqa: E402

FAIL, PASS, UNKNOWN, NOT_APPLICABLE = 0, 1, 2, 3
CODES = {"fail": FAIL, "pass": PASS, "unknown": UNKNOWN}
NON_PARTNERS = [
    "US", "CN", "IN", "BR", "MX", "NG", "PH", "VN", "PK", "EG",
    "TR", "UA", "ZA", "AR", "CO", "MA", "ID", "TH", "KE", "PE",
]  # fmt: skip
TARGET_COLUMNAR_RATIO = 2.0
TARGET_SCALAR_MEDIAN_US = 50.0
TIME_BUDGET_SECONDS = 12 * 60
PARTNERS = sorted(IEC.parameter_values["maximum_age"].by_key or {})
COUNTRIES = PARTNERS + NON_PARTNERS


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# Synthetic IEC applications -------------------------------------------------------------

DATE_FACTS = ["date_of_birth", "invitation_date", "insurance_until", "stay_until"]


def generate(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Columns of `rows` applications; `given:<fact>` is False where the fact is missing."""
    rng = np.random.default_rng(seed)
    data: dict[str, np.ndarray] = {}
    partner = rng.random(rows) < 0.92
    data["citizenship"] = np.where(
        partner,
        rng.integers(0, len(PARTNERS), rows),
        len(PARTNERS) + rng.integers(0, len(NON_PARTNERS), rows),
    )
    data["category"] = rng.choice(3, rows, p=[0.6, 0.25, 0.15])
    invitation = np.datetime64("2025-01-01") + rng.integers(0, 730, rows)
    years = np.select(
        [rng.random(rows) < 0.9, rng.random(rows) < 0.5],
        [rng.integers(18, 35, rows), rng.integers(36, 41, rows)],
        rng.integers(15, 18, rows),
    )
    data["invitation_date"] = invitation
    data["date_of_birth"] = (
        invitation - (years * 365.2425).astype(np.int64) - rng.integers(0, 365, rows)
    )
    data["funds_cad"] = np.where(
        rng.random(rows) < 0.93,
        np.round(rng.uniform(2500, 12000, rows), 2),
        np.round(rng.uniform(200, 2499.99, rows), 2),
    )
    data["funds_cad"][rng.random(rows) < 0.01] = 2500.0
    stay = invitation + rng.integers(180, 731, rows)
    data["stay_until"] = stay
    data["insurance_until"] = np.where(
        rng.random(rows) < 0.94, stay + rng.integers(0, 61, rows), stay - rng.integers(1, 91, rows)
    )
    data["accompanying_dependants"] = rng.random(rows) < 0.03
    data["job_offer"] = rng.random(rows) < 0.94
    data["enrolled_post_secondary"] = rng.random(rows) < 0.95
    data["previous_participations"] = rng.choice(4, rows, p=[0.93, 0.04, 0.02, 0.01])
    category = data["category"]
    for fact in IEC.facts:
        given = rng.random(rows) >= 0.006  # about 5% of lines miss at least one fact
        if fact == "job_offer":
            given &= (category != 0) | (rng.random(rows) < 0.1)  # working holiday: rarely sent
        if fact == "enrolled_post_secondary":
            given &= (category == 2) | (rng.random(rows) < 0.05)
        data[given_key(fact)] = given
    return data


def prepared_frame(data: dict[str, np.ndarray]) -> pl.DataFrame:
    """The facts frame `facts_frame` would build, straight from the columns."""
    frame = pl.DataFrame(
        {
            "citizenship": np.array(COUNTRIES)[data["citizenship"]],
            **{fact: data[fact].astype("datetime64[D]") for fact in DATE_FACTS},
            "funds_cad": data["funds_cad"],
            "accompanying_dependants": data["accompanying_dependants"],
            "job_offer": data["job_offer"],
            "enrolled_post_secondary": data["enrolled_post_secondary"],
            "previous_participations": data["previous_participations"].astype(np.int64),
            **{given_key(fact): data[given_key(fact)] for fact in IEC.facts},
            "category": np.array(CATEGORIES)[data["category"]],
        }
    )
    return frame.with_columns(
        pl.when(pl.col(given_key(fact))).then(pl.col(fact)).alias(fact) for fact in IEC.facts
    ).select(list(IEC.facts) + [given_key(f) for f in IEC.facts] + ["category"])


def typed_records(data: dict[str, np.ndarray], rows: int) -> list[dict[str, Any]]:
    """Checked facts per line (dates as dates, None where missing), as the naive loop reads."""
    columns: dict[str, list[Any]] = {
        "citizenship": np.array(COUNTRIES, dtype=object)[data["citizenship"][:rows]].tolist(),
        "category": np.array(CATEGORIES, dtype=object)[data["category"][:rows]].tolist(),
    }
    for fact in DATE_FACTS:
        columns[fact] = data[fact][:rows].astype("datetime64[D]").tolist()
    for fact in IEC.facts:
        if fact not in columns:
            columns[fact] = data[fact][:rows].tolist()
        for row in np.flatnonzero(~data[given_key(fact)][:rows]).tolist():
            columns[fact][row] = None
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def json_lines(data: dict[str, np.ndarray], rows: int) -> list[dict[str, Any]]:
    """Interchange lines (JSON values; a missing fact is absent) for the first `rows`."""
    lines = []
    for position, record in enumerate(typed_records(data, rows)):
        facts = {}
        for fact in IEC.facts:
            value = record[fact]
            if value is None:
                continue
            facts[fact] = value.isoformat() if isinstance(value, datetime.date) else value
        lines.append(
            {"id": position, "program": "iec", "category": record["category"], "facts": facts}
        )
    return lines


def applicable(category: np.ndarray) -> np.ndarray:
    """rows x criteria: whether each criterion applies to the line's category."""
    mask = np.ones((len(category), len(CRITERIA)), dtype=bool)
    mask[:, CRITERIA.index("job-offer")] = category != 0
    mask[:, CRITERIA.index("post-secondary-enrolment")] = category == 2
    return mask


def tier_of(codes: np.ndarray) -> np.ndarray:
    return np.select(
        [(codes == FAIL).any(axis=1), (codes == UNKNOWN).any(axis=1)], [3, 2], 1
    ).astype(np.int8)


def codes_from_results(results: list[dict[str, Any]]) -> np.ndarray:
    """rows x (criteria + tier) from result lines; a criterion not listed is NOT_APPLICABLE."""
    out = np.full((len(results), len(CRITERIA) + 1), NOT_APPLICABLE, dtype=np.int8)
    index = {name: i for i, name in enumerate(CRITERIA)}
    for row, result in enumerate(results):
        assert "error" not in result, result
        for criterion in result["criteria"]:
            out[row, index[criterion["id"]]] = CODES[criterion["result"]]
        out[row, -1] = result["tier"]
        assert (result["outcome"] == "eligible_auto") == (result["tier"] == 1), result
    return out


# Measuring --------------------------------------------------------------------------------


class Memory:
    """Peak RSS during a block minus RSS just before it, in MiB."""

    def __enter__(self) -> Memory:
        reset_peak()
        self.before = rss_kib()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak_delta = max(0, peak_kib() - self.before) / 1024
        self.before_mib = self.before / 1024


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), times, result


# Workers (each runs in its own process) ---------------------------------------------------


def tier_expression() -> pl.Expr:
    category = pl.col("category")
    conditions = []
    for criterion in CRITERIA:
        applies = pl.lit(True)
        if criterion == "job-offer":
            applies = category != "working-holiday"
        elif criterion == "post-secondary-enrolment":
            applies = category == "international-coop"
        conditions.append((applies, pl.col(criterion)))
    failed = pl.any_horizontal(a & (c == "fail") for a, c in conditions)
    unknown = pl.any_horizontal(a & (c == "unknown") for a, c in conditions)
    return pl.when(failed).then(3).when(unknown).then(2).otherwise(1).cast(pl.Int8).alias("tier")


def worker_columnar(args: argparse.Namespace) -> dict[str, Any]:
    data = generate(args.rows, args.seed)
    frame = prepared_frame(data)
    evaluate_frame(IEC, frame.head(1000))  # warm-up
    stats: dict[str, Any] = {"rows": args.rows}

    def with_tier() -> pl.DataFrame:
        results = evaluate_frame(IEC, frame)
        return results.with_columns(frame["category"]).with_columns(tier_expression())

    with Memory() as memory:
        seconds, times, results = best_of(args.repeats, with_tier)
    stats.update(seconds=seconds, times=times, memory=memory.peak_delta, baseline=memory.before_mib)
    # Measured second: Polars' allocator keeps the pages it freed, so no memory figure.
    seconds, times, _ = best_of(args.repeats, lambda: evaluate_frame(IEC, frame))
    stats.update(frame_seconds=seconds, frame_times=times)
    # Where the time goes: each criterion alone, and all of them as bare booleans (not
    # made pass / fail / unknown).
    breakdown = {}
    for criterion in IEC.criteria:
        alone = dataclasses.replace(IEC, criteria=(criterion,))
        breakdown[criterion.id] = best_of(args.repeats, lambda r=alone: evaluate_frame(r, frame))[0]
    as_of = pl.col(IEC.as_of)
    stats["breakdown"] = breakdown
    # The partner-country criterion in pieces, and the same test without a list parameter.
    offered = IEC.parameter_values["categories_offered"]
    pairs = [f"{c}/{k}" for c in PARTNERS for k in offered.at(EFFECTIVE, c)[0] or []]
    pieces = [
        "param.categories_offered[citizenship]",
        "category in param.categories_offered[citizenship]",
    ]
    stats["pieces"] = {}
    for source in pieces:
        expression = expressions.to_polars(expressions.parse(source), IEC.parameter_values, as_of)
        stats["pieces"][source] = best_of(args.repeats, lambda e=expression: frame.select(e))[0]
    by_hand = (pl.col("citizenship") + "/" + pl.col("category")).is_in(pairs)
    stats["pieces"]["(citizenship + '/' + category).is_in(pairs), by hand"] = best_of(
        args.repeats, lambda: frame.select(by_hand)
    )[0]
    # The query `evaluate_frame` runs, without its last step (the values as pass / fail /
    # unknown).
    stats["booleans_seconds"] = best_of(
        args.repeats, lambda: criterion_values(IEC, frame, None).collect()
    )[0]
    codes = np.stack(
        [results[c].replace_strict(CODES, return_dtype=pl.Int8).to_numpy() for c in CRITERIA],
        axis=1,
    )
    codes[~applicable(data["category"])] = NOT_APPLICABLE
    tiers = results["tier"].to_numpy()
    assert (tiers == tier_of(codes)).all()
    np.save(args.out, np.column_stack([codes, tiers]).astype(np.int8))
    return stats


def worker_batch(args: argparse.Namespace) -> dict[str, Any]:
    data = generate(args.rows, args.seed)
    lines = json_lines(data, args.batch)
    evaluate_batch(IEC, lines[:1000])  # warm-up
    with Memory() as memory:
        seconds, _times, results = best_of(1, lambda: evaluate_batch(IEC, lines))
    np.save(args.out, codes_from_results(results))
    return {
        "rows": len(lines),
        "seconds": seconds,
        "memory": memory.peak_delta,
        "baseline": memory.before_mib,
        "example": results[0],
    }


def worker_scalar(args: argparse.Namespace) -> dict[str, Any]:
    data = generate(args.rows, args.seed)
    lines = json_lines(data, args.sample)
    for line in lines[:500]:  # warm-up
        evaluate(IEC, line)
        explain(IEC, line)
    # As in a long-running server: the inputs are set aside from the garbage collector
    # (they would otherwise be scanned again and again), and each result is reduced to its
    # codes at once instead of piling up.
    del data
    gc.collect()
    gc.freeze()
    clock = time.perf_counter_ns
    codes = np.empty((len(lines), len(CRITERIA) + 1), dtype=np.int8)
    evaluate_ns, explain_ns = [], []
    with Memory() as memory:
        for row, line in enumerate(lines):
            start = clock()
            result = evaluate(IEC, line)
            middle = clock()
            explain(IEC, line)
            evaluate_ns.append(middle - start)
            explain_ns.append(clock() - middle)
            codes[row] = codes_from_results([result])[0]
    np.save(args.out, codes)
    profiler = cProfile.Profile()
    profiler.enable()
    for line in lines[:3000]:
        explain(IEC, line)
    profiler.disable()
    return {
        "rows": len(lines),
        "evaluate_us": [n / 1000 for n in evaluate_ns],
        "explain_us": [n / 1000 for n in explain_ns],
        "memory": memory.peak_delta,
        "baseline": memory.before_mib,
        "profile": profile_rows(profiler, 8),
        "example_trace": [
            {"criterion": e.criterion, "result": e.result.value, "facts": e.trace.facts}
            for e in explain(IEC, lines[0])[:2]
        ],
    }


def profile_rows(profiler: cProfile.Profile, count: int) -> list[list[Any]]:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (filename, line, name), (_, calls, own, _cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.split("site-packages/")[-1].split(str(ROOT) + "/")[-1]
        rows.append([f"{name} ({Path(where).name}:{line})", calls, own / total])
    rows.sort(key=lambda row: -row[2])
    return rows[:count]


MINIMUM_AGE = 18
MINIMUM_FUNDS = 2500
FEWEST, MOST = 1, 3
EFFECTIVE = datetime.date(2025, 1, 1)


def naive_iec(
    records: list[dict[str, Any]], maximum_age: dict[str, int], offers: dict[str, set[str]]
) -> list[tuple[int, ...]]:
    """The IEC rules as plain if-statements, one record at a time (three-valued, like
    Passage: a decided false decides `and`, anything undecided makes the criterion unknown)."""
    out = []
    for record in records:
        category = record["category"]
        citizenship = record["citizenship"]
        invitation = record["invitation_date"]
        as_of = invitation is not None and invitation >= EFFECTIVE  # no parameter before
        if citizenship is None or not as_of:
            partner = UNKNOWN
        else:
            partner = PASS if category in offers.get(citizenship, ()) else FAIL
        birth = record["date_of_birth"]
        if birth is None or not as_of:
            age_ok = UNKNOWN
        else:
            age = invitation.year - birth.year
            if (invitation.month, invitation.day) < (birth.month, birth.day):
                age -= 1
            highest = maximum_age.get(citizenship) if citizenship is not None else None
            if age < MINIMUM_AGE:
                age_ok = FAIL
            elif highest is None:
                age_ok = UNKNOWN
            else:
                age_ok = PASS if age <= highest else FAIL
        funds = record["funds_cad"]
        if funds is None or not as_of:
            funds_ok = UNKNOWN
        else:
            funds_ok = PASS if funds >= MINIMUM_FUNDS else FAIL
        insured, stay = record["insurance_until"], record["stay_until"]
        if insured is None or stay is None:
            insurance = UNKNOWN
        else:
            insurance = PASS if insured >= stay else FAIL
        dependants = record["accompanying_dependants"]
        alone = UNKNOWN if dependants is None else (FAIL if dependants else PASS)
        if category == "working-holiday":
            job = NOT_APPLICABLE
        else:
            offer = record["job_offer"]
            job = UNKNOWN if offer is None else (PASS if offer else FAIL)
        if category != "international-coop":
            enrolled = NOT_APPLICABLE
        else:
            student = record["enrolled_post_secondary"]
            enrolled = UNKNOWN if student is None else (PASS if student else FAIL)
        count = record["previous_participations"]
        if count is None or not as_of:
            participations = UNKNOWN
        elif count >= MOST:
            participations = FAIL
        elif count < FEWEST:
            participations = PASS
        else:
            participations = UNKNOWN  # no cap recorded for any country
        codes = (partner, age_ok, funds_ok, insurance, alone, job, enrolled, participations)
        if FAIL in codes:
            tier = 3
        elif UNKNOWN in codes:
            tier = 2
        else:
            tier = 1
        out.append((*codes, tier))
    return out


def worker_naive(args: argparse.Namespace) -> dict[str, Any]:
    data = generate(args.rows, args.seed)
    before = rss_kib()
    records = typed_records(data, args.rows)
    records_mib = (rss_kib() - before) / 1024
    parameters = IEC.parameter_values
    maximum_age = {c: parameters["maximum_age"].at(EFFECTIVE, c)[0] for c in PARTNERS}
    offers = {c: set(parameters["categories_offered"].at(EFFECTIVE, c)[0]) for c in PARTNERS}
    naive_iec(records[:1000], maximum_age, offers)  # warm-up
    with Memory() as memory:
        seconds, times, out = best_of(args.repeats, lambda: naive_iec(records, maximum_age, offers))
    np.save(args.out, np.array(out, dtype=np.int8))
    return {
        "rows": args.rows,
        "seconds": seconds,
        "times": times,
        "memory": memory.peak_delta,
        "baseline": memory.before_mib,
        "records_mib": records_mib,
    }


def openfisca_inputs(data: dict[str, np.ndarray], support: Any) -> dict[str, np.ndarray]:
    given = {fact: data[given_key(fact)] for fact in IEC.facts}
    inputs: dict[str, np.ndarray] = {
        # Enum codes: UNKNOWN is 0, the countries follow in COUNTRIES order.
        "citizenship": np.where(given["citizenship"], data["citizenship"] + 1, 0).astype(np.int16),
        "category": data["category"].astype(np.int16),
        "funds_cad": np.where(given["funds_cad"], data["funds_cad"], np.nan),
        "previous_participations": np.where(
            given["previous_participations"], data["previous_participations"], -1
        ).astype(np.int32),
    }
    for fact in DATE_FACTS:
        inputs[fact] = np.where(given[fact], data[fact], support.MISSING_DATE).astype(
            "datetime64[D]"
        )
    for fact in ("accompanying_dependants", "job_offer", "enrolled_post_secondary"):
        # Answer codes: 0 not given, 1 no, 2 yes.
        inputs[fact] = np.where(given[fact], data[fact].astype(np.int16) + 1, 0).astype(np.int16)
    return inputs


def worker_openfisca(args: argparse.Namespace) -> dict[str, Any]:
    import openfisca_iec as support
    from openfisca_core.simulations import SimulationBuilder

    lookup = args.worker == "openfisca-lookup"
    data = generate(args.rows, args.seed)
    start = time.perf_counter()
    system, _ = support.build(IEC, COUNTRIES, lookup=lookup)
    system_seconds = time.perf_counter() - start
    inputs = openfisca_inputs(data, support)
    period = "2026-01"
    targets = [support.variable_name(c) for c in CRITERIA] + ["iec_tier"]

    def simulate(columns: dict[str, np.ndarray], count: int) -> Any:
        simulation = SimulationBuilder().build_default_simulation(system, count)
        for name, values in columns.items():
            simulation.set_input(name, period, values)
        return simulation

    def calculate(simulation: Any) -> list[np.ndarray]:
        return [np.asarray(simulation.calculate(t, period)) for t in targets]

    calculate(simulate({k: v[:1000] for k, v in inputs.items()}, 1000))  # warm-up
    build_times, calc_times, out = [], [], None
    with Memory() as memory:
        for _ in range(args.repeats):
            start = time.perf_counter()
            simulation = simulate(inputs, args.rows)
            middle = time.perf_counter()
            out = calculate(simulation)
            calc_times.append(time.perf_counter() - middle)
            build_times.append(middle - start)
            del simulation
    assert out is not None
    np.save(args.out, np.stack(out, axis=1).astype(np.int8))
    # One application at a time: a one-person simulation per line, as an online call would.
    single = []
    for row in range(300):
        start = time.perf_counter()
        calculate(simulate({k: v[row : row + 1] for k, v in inputs.items()}, 1))
        single.append((time.perf_counter() - start) * 1e6)
    return {
        "rows": args.rows,
        "seconds": min(calc_times),
        "times": calc_times,
        "build_seconds": min(build_times),
        "system_seconds": system_seconds,
        "memory": memory.peak_delta,
        "baseline": memory.before_mib,
        "single_median_us": float(np.median(single)),
        "single_p99_us": float(np.percentile(single, 99)),
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def mixed_lines(rulesets: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    """`count` lines of every program: its scenarios repeated, a fact dropped from one in five."""
    rng = random.Random(seed)
    templates = []
    for program in rulesets:
        document = yaml.safe_load((PROGRAMS / program / "scenarios.yaml").read_text())
        for scenario in document["scenarios"]:
            line = {"program": program, "facts": _json_value(scenario["facts"])}
            if "category" in scenario:
                line["category"] = scenario["category"]
            templates.append(line)
    lines = []
    for position in range(count):
        template = templates[position % len(templates)]
        facts = dict(template["facts"])
        if facts and rng.random() < 0.2:
            del facts[rng.choice(sorted(facts))]
        lines.append({**template, "id": position, "facts": facts})
    rng.shuffle(lines)
    return lines


def worker_mixed(args: argparse.Namespace) -> dict[str, Any]:
    rulesets = {code: p.ruleset for code, p in read_programs(PROGRAMS).items()}
    lines = mixed_lines(rulesets, args.mixed, args.seed)
    triage_lines(rulesets, lines[:1000])  # warm-up
    with Memory() as memory:
        seconds, _, results = best_of(1, lambda: triage_lines(rulesets, lines))
    per_program: dict[str, float] = {}
    counts = Counter(line["program"] for line in lines)
    for program, ruleset in rulesets.items():
        mine = [line for line in lines if line["program"] == program]
        start = time.perf_counter()
        evaluate_batch(ruleset, mine)
        per_program[program] = time.perf_counter() - start
    # The scalar path must give the same result lines, on a sample of every program.
    sample = range(0, len(lines), max(1, len(lines) // args.mixed_check))
    gc.collect()
    gc.freeze()  # the batch's results stay in memory: keep the collector off them
    scalar_us = []
    for position in sample:
        line = lines[position]
        start = time.perf_counter_ns()
        expected = evaluate(rulesets[line["program"]], line)
        scalar_us.append((time.perf_counter_ns() - start) / 1000)
        assert results[position] == expected, (line, results[position], expected)
    errors = sum("error" in result for result in results)
    tiers = Counter(result.get("tier") for result in results if "error" not in result)
    return {
        "rows": len(lines),
        "seconds": seconds,
        "memory": memory.peak_delta,
        "baseline": memory.before_mib,
        "per_program": per_program,
        "counts": dict(counts),
        "checked": len(scalar_us),
        "scalar_median_us": float(np.median(scalar_us)),
        "errors": errors,
        "tiers": {str(k): v for k, v in sorted(tiers.items())},
        "templates": sum(1 for _ in rulesets),
    }


WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "columnar": worker_columnar,
    "batch": worker_batch,
    "scalar": worker_scalar,
    "naive": worker_naive,
    "openfisca-lookup": worker_openfisca,
    "openfisca-fancy": worker_openfisca,
    "mixed": worker_mixed,
}


# Orchestration ----------------------------------------------------------------------------


def run_worker(name: str, args: argparse.Namespace, directory: Path) -> dict[str, Any] | None:
    out = directory / f"{name}.npy"
    argv = [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--out",
        str(out),
        *[f"--{key}={getattr(args, key)}" for key in ("rows", "batch", "sample", "mixed", "seed")],
        f"--repeats={args.fancy_repeats if name == 'openfisca-fancy' else args.repeats}",
    ]
    log(f"Running {name}")
    started = time.perf_counter()
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise RuntimeError(f"worker {name} failed")
    stats = json.loads(completed.stdout.strip().splitlines()[-1])
    stats["wall"] = time.perf_counter() - started
    if out.exists():
        stats["codes_file"] = str(out)
    log(f"  {name} done in {stats['wall']:.1f} s")
    return stats


def openfisca_available() -> str | None:
    try:
        return version("openfisca-core")
    except PackageNotFoundError:
        return None


def compare(reference: np.ndarray, other: np.ndarray, name: str) -> None:
    if reference.shape != other.shape or not np.array_equal(reference, other):
        rows = (
            np.flatnonzero((reference != other).any(axis=1))
            if reference.shape == other.shape
            else []
        )
        detail = (
            f"first differing row {rows[0]}: {reference[rows[0]]} vs {other[rows[0]]}"
            if len(rows)
            else f"shapes {reference.shape} vs {other.shape}"
        )
        raise AssertionError(f"{name} disagrees with Passage columnar ({len(rows)} rows): {detail}")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def versions() -> str:
    names = ["polars", "numpy", "openfisca-core", "pyyaml"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def machine() -> str:
    facts = machine_facts()
    return (
        f"{facts['cores']} cores (nproc), {facts['cpu']}, {facts['memory']} RAM, "
        f"Linux {facts['kernel']}"
    )


def load_average() -> float:
    """The kernel's one-minute load average: other work competing for the cores."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def report(
    args: argparse.Namespace, stats: dict[str, Any], total_seconds: float, loads: list[float]
) -> str:
    rows = args.rows
    column = stats["columnar"]
    of_lookup = stats.get("openfisca-lookup")
    of_fancy = stats.get("openfisca-fancy")
    naive = stats["naive"]
    batch = stats["batch"]
    scalar = stats["scalar"]
    mixed = stats["mixed"]
    explain_median = pct(scalar["explain_us"], 50)
    now = datetime.datetime.now(UTC)

    def rate(count: int, seconds: float) -> str:
        return (
            f"{count / seconds / 1e6:,.2f} M"
            if count / seconds >= 1e6
            else f"{count / seconds:,.0f}"
        )

    lines = [
        SECTION,
        "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC by `benchmarks/rules.py` (`make bench`, or "
        "`scripts/run-benchmarks rules`), whole run "
        f"{total_seconds:.0f} s. Machine: {machine()}. {versions()}. One-minute load average "
        f"at the start and the end of the run: {loads[0]:.1f} and {loads[1]:.1f} (the "
        "benchmark itself keeps one core busy, two while Polars runs; more means other work "
        "competed for the cores).",
        "",
        f"Data: {rows:,} synthetic IEC applications (seed {args.seed}): "
        f"{len(PARTNERS)} partner and {len(NON_PARTNERS)} non-partner countries (8% of lines), "
        "60% working holiday, 25% young professionals, 15% international co-op; each fact "
        "missing on 0.6% of lines (job offer and enrolment are mostly not sent where they do "
        f"not apply). Tiers on the full set: {stats['tier_mix']}.",
        "",
        "Every implementation runs in its own process on the same data. Time is the best of "
        f"{args.repeats} runs ({args.fancy_repeats} for OpenFisca idiomatic) of the "
        "calculation alone: inputs are prepared beforehand (a Polars frame, a list of dicts, "
        "OpenFisca input arrays). Memory is the peak RSS during the timed runs minus the RSS "
        "just before them (Linux VmHWM, reset through /proc/self/clear_refs), so it counts "
        "what the calculation allocates, not the inputs.",
        "",
        "**Asserted:** Passage columnar, the naive loop and both OpenFisca variants give the "
        f"same per-criterion pass / fail / unknown / not applicable and the same tier on all "
        f"{rows:,} lines, missing facts included (OpenFisca has no null: a missing fact is a "
        "sentinel and the formulas apply the same three-valued logic); `evaluate_batch` and "
        f"`evaluate` agree with them on their samples ({batch['rows']:,} and "
        f"{scalar['rows']:,} lines).",
        "",
        "| implementation | lines | time | lines/s | peak memory Δ | vs OpenFisca lookup |",
        "|---|---|---|---|---|---|",
    ]
    reference = of_lookup["seconds"] / of_lookup["rows"] if of_lookup else None

    def row(name: str, count: int, seconds: float, memory: float | None) -> str:
        ratio = f"{reference / (seconds / count):.2g}x" if reference else "n/a"
        shown = f"{memory:,.0f} MiB" if memory is not None else "(see above)"
        return (
            f"| {name} | {count:,} | {seconds * 1000:,.0f} ms | {rate(count, seconds)} "
            f"| {shown} | {ratio} |"
        )

    lines.append(
        row(
            "Passage columnar: `evaluate_frame` + tier (per-criterion results kept)",
            rows,
            column["seconds"],
            column["memory"],
        )
    )
    lines.append(
        row(
            "Passage columnar: `evaluate_frame` alone",
            rows,
            column["frame_seconds"],
            None,
        )
    )
    lines.append(
        row(
            "Passage `evaluate_batch`: full result lines with details and citations",
            batch["rows"],
            batch["seconds"],
            batch["memory"],
        )
    )
    lines.append(
        row(
            "Passage scalar `evaluate`, one line at a time",
            scalar["rows"],
            sum(scalar["evaluate_us"]) / 1e6,
            scalar["memory"],
        )
    )
    lines.append(row("naive Python loop (if-statements)", rows, naive["seconds"], naive["memory"]))
    if of_lookup:
        lines.append(
            row(
                "OpenFisca, lookup arrays (calculation)",
                rows,
                of_lookup["seconds"],
                of_lookup["memory"],
            )
        )
        lines.append(
            row(
                "OpenFisca, lookup arrays (building the simulation + calculation)",
                rows,
                of_lookup["seconds"] + of_lookup["build_seconds"],
                of_lookup["memory"],
            )
        )
    if of_fancy:
        lines.append(
            row(
                "OpenFisca, idiomatic (Enum fancy indexing, `select`)",
                rows,
                of_fancy["seconds"],
                of_fancy["memory"],
            )
        )
    lines += [
        "",
        f"The naive loop reads a list of {rows:,} dicts of checked facts, which itself takes "
        f"{naive['records_mib']:,.0f} MiB. The `evaluate_batch` row is on the first "
        f"{batch['rows']:,} lines only (building {rows:,} result dicts would mostly measure "
        "dict allocation); its time includes checking every line and rendering every detail.",
        "",
        "One application at a time (µs per application):",
        "",
        "| path | lines | median | p99 |",
        "|---|---|---|---|",
        f"| Passage `explain` (criteria, details and trace of facts and parameters) | "
        f"{scalar['rows']:,} | {explain_median:.1f} | {pct(scalar['explain_us'], 99):.1f} |",
        f"| Passage `evaluate` (result line with details and citations) | {scalar['rows']:,} | "
        f"{pct(scalar['evaluate_us'], 50):.1f} | {pct(scalar['evaluate_us'], 99):.1f} |",
    ]
    if of_lookup:
        lines.append(
            "| OpenFisca lookup arrays, one-person simulation (build, set inputs, 9 "
            f"variables; no JSON) | 300 | {of_lookup['single_median_us']:.0f} | "
            f"{of_lookup['single_p99_us']:.0f} |"
        )
    if of_fancy:
        lines.append(
            "| OpenFisca idiomatic, one-person simulation | 300 | "
            f"{of_fancy['single_median_us']:.0f} | {of_fancy['single_p99_us']:.0f} |"
        )
    lines += [
        "",
        "The scalar figures are taken as in a long-running server: the sample's input lines "
        "are frozen out of the garbage collector (`gc.freeze()`) and each result is reduced to "
        "its codes at once, so that the collector does not rescan a growing heap of "
        "benchmark data during the timed calls.",
    ]
    lines += ["", "Targets:", ""]
    if of_lookup:
        ratio = (of_lookup["seconds"]) / column["seconds"]
        met = "met" if ratio >= TARGET_COLUMNAR_RATIO else "missed"
        lines.append(
            f"- Passage columnar with per-criterion results kept ≥ {TARGET_COLUMNAR_RATIO:.0f}x "
            f"OpenFisca's faster variant (lookup arrays): **{ratio:.2f}x, {met}**"
            + (
                f" (Passage would have to be {TARGET_COLUMNAR_RATIO / ratio:.1f}x faster)."
                if ratio < TARGET_COLUMNAR_RATIO
                else "."
            )
            + f" Against OpenFisca idiomatic: {of_fancy['seconds'] / column['seconds']:.1f}x."
            if of_fancy
            else ""
        )
    else:
        lines.append("- Columnar vs OpenFisca: not measured, openfisca-core is not installed.")
    met = "met" if explain_median <= TARGET_SCALAR_MEDIAN_US else "missed"
    lines.append(
        f"- One application through the scalar path with its trace (`explain`) ≤ "
        f"{TARGET_SCALAR_MEDIAN_US:.0f} µs median: **{explain_median:.1f} µs, {met}**"
        + (
            f" (over by {explain_median - TARGET_SCALAR_MEDIAN_US:.1f} µs, "
            f"{(explain_median / TARGET_SCALAR_MEDIAN_US - 1) * 100:.0f}%)."
            if explain_median > TARGET_SCALAR_MEDIAN_US
            else "."
        )
    )
    lines += [
        "",
        f"Where the columnar time goes ({rows:,} lines, best of {args.repeats}): "
        f"`evaluate_frame` with all eight criteria {column['frame_seconds'] * 1000:,.0f} ms; "
        "the same query without its last step (the eight values as bare booleans, not made "
        f"pass / fail / unknown) {column['booleans_seconds'] * 1000:,.0f} ms; each "
        "criterion alone through `evaluate_frame`:",
        "",
        "| criterion | ms |",
        "|---|---|",
        *[f"| {name} | {seconds * 1000:,.0f} |" for name, seconds in column["breakdown"].items()],
        "",
        "The partner-country criterion in pieces (each expression selected alone, as a bare "
        "value): "
        + "; ".join(
            f"`{name}` {seconds * 1000:,.0f} ms" for name, seconds in column["pieces"].items()
        )
        + ".",
    ]
    breakdown = column["breakdown"]
    columnar_met = (
        bool(of_lookup) and of_lookup["seconds"] / column["seconds"] >= TARGET_COLUMNAR_RATIO
    )
    scalar_met = explain_median <= TARGET_SCALAR_MEDIAN_US
    pieces = list(column["pieces"].values())
    slowest = sorted(breakdown.items(), key=lambda item: -item[1])[:2]
    lines += [
        "",
        (
            "Why the columnar target is missed"
            if not columnar_met
            else "How the columnar path does it"
        )
        + ": the slowest criteria are "
        + " and ".join(f"{name} ({seconds * 1000:,.0f} ms)" for name, seconds in slowest)
        + f" of the {column['frame_seconds'] * 1000:,.0f} ms, mostly in reading text "
        "columns: a key of a country's parameter (`param.maximum_age[citizenship]`) and a "
        "test of membership in a list-valued one (`category in "
        "param.categories_offered[citizenship]`) compile to the position of each row's "
        "country among the parameter's keys (and of its category among the members), found "
        "by a cast to a Polars Enum and shared by every criterion that looks up the same "
        "keys; the position picks the answer out of a small table laid out by period of the "
        "as-of date and key (a hand-written string membership takes "
        f"{pieces[-1] * 1000:,.0f} ms); the age is a difference of YYYYMMDD numbers in "
        "32-bit arithmetic. Each criterion's value is computed once in a lazy query that "
        "shares common "
        "subexpressions (a call that occurs twice, such as the age, is computed first as a "
        "column), and becomes pass / fail / unknown as a Polars Enum: one byte a row, read "
        "back as text, which the tier compares as OpenFisca's formulas compare their codes.",
    ]
    lines += [
        "",
        ("Why the scalar target is missed" if not scalar_met else "How the scalar path does it")
        + ": each ruleset is compiled once into nested Python closures (a criterion's test "
        "and its detail, the detail a format string), so no node of the tree is dispatched "
        "on per line; facts are checked by one function per type, a parameter remembers its "
        "look-ups by period and key, a day count is computed once per line and its trace "
        "replayed, and `evaluate` (which returns no trace) records into one scratch trace. "
        "What is left is the work itself: reading each fact, recording it and each "
        "parameter in the trace, and formatting the details, as the profile shows.",
    ]
    lines += [
        "",
        f"The same as a profile (cProfile, own time, {min(3000, scalar['rows']):,} "
        "lines; the profiler "
        "inflates Python calls, read the shares as an order of magnitude):",
        "",
        "| function | calls | share of own time |",
        "|---|---|---|",
        *[
            f"| `{name}` | {calls:,} | {share * 100:.0f}% |"
            for name, calls, share in scalar["profile"]
        ],
        "",
        "### Mixed batch: every program with a rules.yaml",
        "",
        f"{mixed['rows']:,} lines of {len(mixed['counts'])} programs, made from each program's "
        "scenarios.yaml (repeated, one fact dropped from one line in five), shuffled, through "
        "`triage_lines` (what `passage triage` runs: each program's lines together on the "
        f"columnar path): **{mixed['seconds']:.2f} s, {rate(mixed['rows'], mixed['seconds'])} "
        f"lines/s**, peak memory Δ {mixed['memory']:,.0f} MiB. Result lines that are errors "
        f"(scenarios of invalid input): {mixed['errors']:,}; tiers: {mixed['tiers']}. "
        f"Asserted: the same result line as `evaluate` on {mixed['checked']:,} lines spread "
        f"over the batch (scalar median {mixed['scalar_median_us']:.0f} µs per line).",
        "",
        "| program | lines | `evaluate_batch` time | lines/s |",
        "|---|---|---|---|",
        *[
            f"| {program} | {mixed['counts'][program]:,} | {seconds * 1000:,.0f} ms | "
            f"{rate(mixed['counts'][program], seconds)} |"
            for program, seconds in sorted(mixed["per_program"].items())
        ],
        "",
        "Commands: `make bench` (installs the bench group, then runs every benchmark) or "
        "`scripts/run-benchmarks rules`, i.e. `.venv/bin/python benchmarks/rules.py "
        f"--rows {rows} --batch {args.batch} --sample {args.sample} --mixed {args.mixed}`.",
        "",
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic IEC lines")
    parser.add_argument("--batch", type=int, default=100_000, help="lines for evaluate_batch")
    parser.add_argument("--sample", type=int, default=20_000, help="lines for the scalar path")
    parser.add_argument("--mixed", type=int, default=100_000, help="lines of the mixed batch")
    parser.add_argument("--mixed-check", type=int, default=5_000, help="mixed lines checked")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--fancy-repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20251121)
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args()


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


def main() -> int:
    args = parse_args()
    if args.worker:
        stats = WORKERS[args.worker](args)
        print(json.dumps(stats, default=str))
        return 0
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BUDGET_SECONDS)
    started = time.perf_counter()
    loads = [load_average()]
    names = ["columnar", "naive", "batch", "scalar", "mixed"]
    if openfisca_available():
        names += ["openfisca-lookup", "openfisca-fancy"]
    else:
        log("openfisca-core is not installed (make bench installs it): OpenFisca is skipped")
    stats: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="passage-rules-bench-") as tmp:
        for name in names:
            result = run_worker(name, args, Path(tmp))
            assert result is not None
            stats[name] = result
        reference = np.load(stats["columnar"]["codes_file"])
        for name in ["naive", "openfisca-lookup", "openfisca-fancy"]:
            if name in stats:
                compare(reference, np.load(stats[name]["codes_file"]), name)
        compare(reference[: args.batch], np.load(stats["batch"]["codes_file"]), "evaluate_batch")
        compare(reference[: args.sample], np.load(stats["scalar"]["codes_file"]), "evaluate")
        tiers = Counter(reference[:, -1].tolist())
        stats["tier_mix"] = ", ".join(
            f"tier {tier} {tiers[tier] / len(reference) * 100:.1f}%" for tier in sorted(tiers)
        )
        criteria = {
            name: {code: int((reference[:, i] == code).sum()) for code in range(4)}
            for i, name in enumerate(CRITERIA)
        }
        log(f"All implementations agree. {stats['tier_mix']}; per criterion {criteria}")
    loads.append(load_average())
    section = report(args, stats, time.perf_counter() - started, loads)
    print(section)
    if not args.no_write:
        write_section(SECTION, section)
        log(f"Wrote the '{SECTION[3:]}' section of {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
