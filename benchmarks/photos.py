"""PR card photo checks (`passage/photos/`): how often the pre-check agrees with the
labelled set, which reasons it gives, and how long one photo takes.

The labelled set (`tests/photos/labelled_set.py`, seeded, made in memory) holds good
photos and photos made to show one fault each, from NASA's public-domain portrait of
Eileen Collins and two pictures without a face. A good photo agrees when it is accepted;
a faulty one when it is refused with its fault's code among the reasons. Then
`check_photo` runs on every upload of the set a few times over, warm, in this process,
against decoding the upload and re-encoding it as a JPEG alone (the baseline: what any
upload that keeps a clean copy pays).

Run with `scripts/run-benchmarks photos` (`make bench` runs it with the others), or
`.venv/bin/python benchmarks/photos.py [--passes 5] [--no-write]`. It writes its section
of benchmarks/results.md.
"""

import argparse
import datetime
import io
import os
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "support"))

from machine import machine_facts  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402
from results_file import write_section  # noqa: E402

from passage.photos.checks import CODES, PhotoCheck, check_photo  # noqa: E402
from passage.photos.limits import load_limits  # noqa: E402
from tests.photos.labelled_set import Labelled, labelled_set  # noqa: E402

SECTION = "## Photo checks"
PASSES = 5
TIME_BUDGET_SECONDS = 5 * 60


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


@dataclass
class Figures:
    """The verdicts on the set and the seconds each upload took, pass after pass."""

    photos: tuple[Labelled, ...]
    verdicts: list[PhotoCheck]
    build_seconds: float
    passes: int
    check_seconds: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    baseline_seconds: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def agrees(self, number: int) -> bool:
        photo, check = self.photos[number], self.verdicts[number]
        if photo.label == "good":
            return check.accepted
        return not check.accepted and photo.label in {f.code for f in check.failures}

    def decoded(self) -> list[int]:
        """The uploads the check looked at as pictures (not stopped at the file)."""
        return [n for n, check in enumerate(self.verdicts) if check.normalised is not None]


def decode_and_reencode(data: bytes) -> None:
    """The baseline: the upload decoded upright and saved as a JPEG, nothing judged."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
        upright.save(io.BytesIO(), format="JPEG", quality=92)


def measure(passes: int) -> Figures:
    started = time.perf_counter()
    photos = labelled_set()
    built = time.perf_counter() - started
    limits = load_limits()
    log(f"made {len(photos)} labelled uploads in {built:.1f} s")
    verdicts = [check_photo(photo.data, limits) for photo in photos]  # warm: the detector
    figures = Figures(photos, verdicts, built, passes)
    decodable = figures.decoded()
    for _ in range(passes):
        for number, photo in enumerate(photos):
            started = time.perf_counter()
            check_photo(photo.data, limits)
            figures.check_seconds[number].append(time.perf_counter() - started)
        for number in decodable:
            started = time.perf_counter()
            decode_and_reencode(photos[number].data)
            figures.baseline_seconds[number].append(time.perf_counter() - started)
    return figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds >= 0.001 else f"{seconds * 1000:.2f}"


def timing_rows(figures: Figures) -> list[str]:
    decodable = figures.decoded()
    stopped = [n for n in range(len(figures.photos)) if n not in decodable]
    every = [s for seconds in figures.check_seconds.values() for s in seconds]
    pictures = [s for n in decodable for s in figures.check_seconds[n]]
    at_the_file = [s for n in stopped for s in figures.check_seconds[n]]
    baseline = [s for n in decodable for s in figures.baseline_seconds[n]]
    base = statistics.median(baseline)
    rows = []
    for label, seconds, count in (
        ("decode upright and re-encode as JPEG alone (baseline)", baseline, len(decodable)),
        ("`check_photo`, the uploads looked at as pictures", pictures, len(decodable)),
        ("`check_photo`, the uploads stopped at the file", at_the_file, len(stopped)),
        ("`check_photo`, every upload of the set", every, len(figures.photos)),
    ):
        median = statistics.median(seconds)
        rows.append(
            f"| {label} | {count} | {ms(median)} | {ms(percentile(seconds, 0.95))} "
            f"| {ratio(median / base)} |"
        )
    return rows


def report(figures: Figures, took: float, loads: list[float]) -> str:
    facts = machine_facts()
    when = datetime.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    photos, verdicts = figures.photos, figures.verdicts
    total = len(photos)
    agreed = sum(figures.agrees(n) for n in range(total))
    by_label: dict[str, list[int]] = defaultdict(list)
    for number, photo in enumerate(photos):
        by_label[photo.label].append(number)
    order = ["good", *CODES]
    lines = [
        SECTION,
        "",
        f"Measured {when} by `benchmarks/photos.py` in {took:.0f} s, in one process. Machine: "
        f"{facts['cores']} cores (nproc), {facts['cpu']}. One-minute load average at the "
        f"start and the end: {loads[0]:.1f} and {loads[1]:.1f}.",
        "",
        f"The labelled set: {total} uploads made in {figures.build_seconds:.1f} s "
        "(`tests/photos/labelled_set.py`, seeded): good photos and photos made to show one "
        "fault each, all from NASA's public-domain portrait of Eileen Collins (cut out, "
        "framed, lit, blurred, saved in other shapes, sizes and formats) and two pictures "
        "without a face. A good photo agrees when it is accepted; a faulty one when it is "
        "refused with its fault's code among the reasons. The limits are "
        "`passage/photos/limits.yaml`, several of them calibrated on this same set, so the "
        "agreement below is a check of consistency, not an estimate on clients' photos.",
        "",
        f"Agreement: **{agreed} of {total} ({agreed / total:.1%})**.",
        "",
        "| label | uploads | agree | share | reasons given when refused (code: uploads) |",
        "|---|---|---|---|---|",
    ]
    for label in (label for label in order if label in by_label):
        numbers = by_label[label]
        agree = sum(figures.agrees(n) for n in numbers)
        reasons: Counter[str] = Counter()
        for n in numbers:
            reasons.update({f.code for f in verdicts[n].failures})
        given = ", ".join(f"{code}: {reasons[code]}" for code in sorted(reasons, key=CODES.index))
        lines.append(
            f"| {label} | {len(numbers)} | {agree} | {agree / len(numbers):.0%} | "
            f"{given or 'none (all accepted)'} |"
        )
    misses = [n for n in range(total) if not figures.agrees(n)]
    lines.append("")
    if misses:
        lines += ["Disagreements:", ""]
        lines += [
            f"- {photos[n].label}: {photos[n].description}: "
            f"{', '.join(f.code for f in verdicts[n].failures) or 'accepted'}"
            for n in misses
        ]
        lines.append("")
    lines += [
        f"Time per upload: `check_photo` on every upload of the set, {figures.passes} "
        f"pass{'es' if figures.passes > 1 else ''} after a warm-up pass (the detector "
        "loaded), against the baseline on the uploads it decodes. The uploads stopped at "
        "the file (not an image, or bytes or pixels out of limits, most refused from the "
        "header alone) are shown apart.",
        "",
        "| step | uploads | median ms | p95 ms | median vs baseline |",
        "|---|---|---|---|---|",
        *timing_rows(figures),
        "",
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=PASSES, help="timed passes over the set")
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    return parser.parse_args()


def main(write: Callable[[str, str], None] = write_section) -> int:
    args = parse_args()
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BUDGET_SECONDS)
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    figures = measure(args.passes)
    loads.append(os.getloadavg()[0])
    section = report(figures, time.perf_counter() - started, loads)
    print(section)
    if not args.no_write:
        write(SECTION, section)
        log(f"Wrote the '{SECTION[3:]}' section of benchmarks/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
