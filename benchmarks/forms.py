"""Paper forms (`passage/paper/`): how long a form takes to print and to read back, and
how many forms come back exactly from a degraded scan.

Generated applications (`tests/paper/applications.py`, seeded: names in many scripts,
long values, none to sixty absences) are printed as the adult grant's form: the
document stamped, `printed_form`, `render_pdf`. The print time is set against encoding
the symbols alone (the baseline). Each form's pages are then scanned (drawn by pdfium in
grey) at 150 and 300 dpi, degraded (blur, noise, JPEG of quality 30, tilts of 3 and 10
degrees, a quarter turn, a phone photo at an angle) and read back a page a file, the
last pages first, as intake does, until the symbols make up the document. A form reads
back when the document decoded is exactly the one printed. Read times are set against
the clean scan at the same resolution (the baseline).

Run with `scripts/run-benchmarks forms` (`make bench` runs it with the others), or
`.venv/bin/python benchmarks/forms.py [--forms 20] [--no-write]`. It writes its section
of benchmarks/results.md.
"""

import argparse
import contextlib
import datetime
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "support"))

import pypdfium2  # noqa: E402
from machine import machine_facts  # noqa: E402
from results_file import write_section  # noqa: E402

from passage.paper.document import printed_form, stamped  # noqa: E402
from passage.paper.layout import render_pdf  # noqa: E402
from passage.paper.reading import read_scan  # noqa: E402
from passage.paper.symbols import PayloadError, decode, encode  # noqa: E402
from tests.paper import degradations  # noqa: E402
from tests.paper.applications import applications, definition  # noqa: E402
from tests.paper.scans import Image, pdf_pages  # noqa: E402

SECTION = "## Paper forms"
SEED = 20261207
PRINTED_AT = datetime.datetime(
    2026, 12, 6, 14, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))
)
PRINT_FORMS = 40
READ_FORMS = 20
DPIS = (150, 300)
TIME_BUDGET_SECONDS = 9 * 60

# The round-trip tests' degradations (tests/paper/degradations.py), named as the table says them.
LABELS = {
    "clean": "clean (baseline)",
    "blurred": "blurred (0.17 mm)",
    "noisy": "noisy (sd 25 grey levels)",
    "a JPEG of quality 30": "JPEG of quality 30",
    "a phone photo at an angle": "phone photo at an angle (JPEG)",
}
DEGRADATIONS: dict[str, Callable[[Image, int], bytes]] = {
    LABELS.get(name, name): upload for name, upload in degradations.UPLOADS.items()
}


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


@dataclass
class Reads:
    """One degradation at one resolution: forms read back exactly, read times, and what
    the others said."""

    exact: int = 0
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def measure_printing(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Median seconds per form of each printing step, and the forms' symbol and page
    counts."""
    form = definition()
    encoding, wording, rendering, whole = [], [], [], []
    symbols, pages = [], []
    for document in documents:
        started = time.perf_counter()
        texts = encode(stamped(document, PRINTED_AT), form=form.code)
        encoding.append(time.perf_counter() - started)
        started = time.perf_counter()
        printed = printed_form(form, stamped(document, PRINTED_AT))
        worded = time.perf_counter()
        pdf = render_pdf(printed)
        done = time.perf_counter()
        wording.append(worded - started)
        rendering.append(done - worded)
        whole.append(done - started)
        symbols.append(len(texts))
        pages.append(len(pypdfium2.PdfDocument(pdf)))
    return {
        "encode": statistics.median(encoding),
        "printed_form": statistics.median(wording),
        "render_pdf": statistics.median(rendering),
        "print": statistics.median(whole),
        "symbols": symbols,
        "pages": pages,
    }


def read_back(pages: list[Image], to_file: Callable[[Image], bytes]) -> tuple[Any, float]:
    """The form read a page a file, the last first, until it decodes: the decoded form
    (or the PayloadError) and the seconds spent reading, files' making left out."""
    texts: list[str] = []
    spent = 0.0
    outcome: Any = PayloadError("no page was read")
    for page in reversed(pages):
        content = to_file(page)
        started = time.perf_counter()
        texts.extend(text for text in read_scan(content).texts if text not in texts)
        try:
            outcome = decode(texts)
        except PayloadError as error:
            outcome = error
        spent += time.perf_counter() - started
        if not isinstance(outcome, PayloadError):
            break
    return outcome, spent


def measure_reading(documents: list[dict[str, Any]]) -> dict[tuple[str, int], Reads]:
    form = definition()
    results = {(name, dpi): Reads() for dpi in DPIS for name in DEGRADATIONS}
    for number, document in enumerate(documents, start=1):
        printed = stamped(document, PRINTED_AT)
        pdf = render_pdf(printed_form(form, printed))
        for dpi in DPIS:
            pages = pdf_pages(pdf, dpi)
            for name, degrade in DEGRADATIONS.items():
                outcome, seconds = read_back(pages, lambda page: degrade(page, dpi))  # noqa: B023
                reads = results[(name, dpi)]
                reads.seconds.append(seconds)
                if outcome == (form.code, printed):
                    reads.exact += 1
                else:
                    said = str(outcome) if isinstance(outcome, PayloadError) else "another document"
                    reads.failures.append(f"form {number}: {said}")
        log(f"read form {number} of {len(documents)}")
    return results


def measure_pdf_upload(documents: list[dict[str, Any]]) -> tuple[float, int]:
    """The printed PDF itself uploaded (read_scan draws every page at 300 dpi): median
    seconds and how many read back exactly."""
    form = definition()
    seconds, exact = [], 0
    for document in documents:
        printed = stamped(document, PRINTED_AT)
        pdf = render_pdf(printed_form(form, printed))
        started = time.perf_counter()
        reading = read_scan(pdf)
        with contextlib.suppress(PayloadError):
            exact += decode(reading.texts) == (form.code, printed)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), exact


def report(
    printing: dict[str, Any],
    reading: dict[tuple[str, int], Reads],
    upload: tuple[float, int],
    forms: int,
    took: float,
    loads: list[float],
) -> str:
    facts = machine_facts()
    when = datetime.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    baseline = printing["encode"]
    symbols, pages = printing["symbols"], printing["pages"]
    lines = [
        SECTION,
        "",
        f"Measured {when} by `benchmarks/forms.py` in {took:.0f} s, in one process. "
        f"Machine: {facts['cores']} cores (nproc), {facts['cpu']}. One-minute load average "
        f"at the start and the end: {loads[0]:.1f} and {loads[1]:.1f}.",
        "",
        f"Printing: {len(symbols)} generated applications of the adult grant (seed {SEED}: "
        "names and places in Latin with accents, Cyrillic, Greek, Arabic, CJK and "
        "Vietnamese, names up to 100 characters, address lines up to 200, 0 to 60 "
        f"absences), {min(symbols)} to {max(symbols)} symbols and {min(pages)} to "
        f"{max(pages)} pages a form; median per form.",
        "",
        "| step | median ms per form | vs baseline |",
        "|---|---|---|",
        f"| the symbols' texts alone, `symbols.encode` (baseline) | {baseline * 1000:.2f} | "
        "1.00x |",
    ]
    for key, label in (
        ("printed_form", "the answers in words and the symbols, `printed_form`"),
        ("render_pdf", "the PDF, `render_pdf`"),
        ("print", "the whole print: `printed_form` + `render_pdf`"),
    ):
        ms, times = printing[key] * 1000, ratio(printing[key] / baseline)
        lines.append(f"| {label} | {ms:.2f} | {times} |")
    lines += [
        "",
        f"Reading back: the first {forms} of those forms, each scanned at 150 and 300 dpi "
        "(pdfium, grey) and degraded as below, read back a page a file, the last pages "
        "first, until the symbols decode (the making of the files is not timed). A form "
        "reads back when the document decoded equals the one printed, character for "
        "character. Times are the median per form, against the clean scan at the same "
        "resolution (the baseline).",
        "",
        "| scan | 150 dpi: read back | median ms | vs baseline | 300 dpi: read back "
        "| median ms | vs baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    clean = {dpi: median_ms(reading[(next(iter(DEGRADATIONS)), dpi)].seconds) for dpi in DPIS}
    for name in DEGRADATIONS:
        cells = [name]
        for dpi in DPIS:
            reads = reading[(name, dpi)]
            ms = median_ms(reads.seconds)
            cells += [f"{reads.exact}/{forms}", f"{ms:.0f}", f"{ms / clean[dpi]:.2f}x"]
        lines.append("| " + " | ".join(cells) + " |")
    upload_seconds, upload_exact = upload
    lines += [
        "",
        f"The printed PDF itself uploaded (`read_scan` draws each page at 300 dpi and reads "
        f"every page): {upload_exact}/{forms} read back, median {upload_seconds * 1000:.0f} ms "
        f"a form ({upload_seconds * 1000 / clean[300]:.2f}x the clean 300 dpi scan read a "
        "page a file).",
        "",
    ]
    failures = [
        f"{name} at {dpi} dpi, {failure}"
        for (name, dpi), reads in reading.items()
        for failure in reads.failures
    ]
    if failures:
        lines.append("Forms that did not read back:")
        lines.append("")
        lines += [f"- {failure}" for failure in failures]
    else:
        lines.append("Every form read back exactly, from every scan.")
    lines.append("")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=READ_FORMS, help="forms read back")
    parser.add_argument("--print-forms", type=int, default=PRINT_FORMS, help="forms printed")
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    return parser.parse_args()


def main(write: Callable[[str, str], None] = write_section) -> int:
    args = parse_args()
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BUDGET_SECONDS)
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    documents = applications(max(args.print_forms, args.forms), seed=SEED)
    render_pdf(printed_form(definition(), stamped(documents[0], PRINTED_AT)))  # warm: fonts
    printing = measure_printing(documents[: args.print_forms])
    log(f"printed {args.print_forms} forms: {printing['print'] * 1000:.0f} ms a form")
    reading = measure_reading(documents[: args.forms])
    upload = measure_pdf_upload(documents[: args.forms])
    loads.append(os.getloadavg()[0])
    section = report(printing, reading, upload, args.forms, time.perf_counter() - started, loads)
    print(section)
    if not args.no_write:
        write(SECTION, section)
        log(f"Wrote the '{SECTION[3:]}' section of benchmarks/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
