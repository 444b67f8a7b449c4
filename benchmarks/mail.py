"""Client email (`passage/correspondence/`, `passage/mailtriage/`): messages received and
acknowledged per second through the SMTP receiver, and the time to classify a message.

A fresh SQLite database (the embedded default), migrated in a temporary folder under
PASSAGE_VAR_DIR (by default var/), in this process. Client emails are made from the
triage corpus (`passage.mailtriage.corpus`, English and French, every category), a seeded
sample, one in ten with a one-page PDF attached, each from its own address (so that the
limit of acknowledgements per sender never applies) with its own Message-ID. Four
smtplib clients in another process (`support/mail_load.py`), each reusing its
connection, send them to:

- a bare aiosmtpd server that keeps nothing (the baseline: SMTP's own cost);
- Passage's receiver (`passage.correspondence.receiver.controller`, as `passage mail
  serve` runs it): each message kept, classified, acknowledged in the outbox and
  committed before the 250. Then every acknowledgement is delivered by
  `passage.outbox.delivery.deliver_due_emails` to a local aiosmtpd server;
- the receiver again, with new messages, while a delivery worker runs alongside as
  `passage deliver_email --every` does: the end-to-end rate, and the time from each
  message's sending to its acknowledgement's arrival.

Then classification: `passage.mailtriage.triage.triage_all` on every email of the
corpus in one batch, and `triage` one email at a time (as the receiver calls it) on a
seeded sample of 400, against language detection alone (`detect_language`, the baseline).

Run with `scripts/run-benchmarks mail` (`make bench` runs it with the others), or
`.venv/bin/python benchmarks/mail.py [--messages 1000] [--no-write] [--quick]`. It writes
its section of benchmarks/results.md (not with --quick, a small run that checks the
benchmark works).
"""

import argparse
import datetime
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "benchmarks" / "support"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SUPPORT))

from aiosmtpd.controller import Controller  # noqa: E402
from machine import machine_facts  # noqa: E402
from results_file import write_section  # noqa: E402

from tests.correspondence.messages import client_email  # noqa: E402
from tests.outbox.smtp import HOST, free_port  # noqa: E402

SECTION = "## Client email"
SEED = 20261208
MESSAGES = 1000  # twice through the receiver, at some 20 to 40 a second
CLIENTS = 4
WARM_UP = 20
ATTACHMENT_EVERY = 10
TRIAGE_REPEATS = 3
TIME_BUDGET_SECONDS = 10 * 60
ONE_AT_A_TIME = 400
QUICK = {"messages": 40, "corpus": 120, "single": 40, "repeats": 1}
# Display names for the senders; the addresses are made unique per message.
NAMES = (
    "Amina Diallo",
    "Jean-François Tremblay",
    "Priya Raghunathan",
    "Olena Kovalenko",
    "Nguyễn Thị Lan",
    "María José Hernández",
    "Li Wei",
    "Daniel Côté",
)


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


def django_on_fresh_sqlite(folder: Path, acknowledgements_port: int) -> None:
    """Set Django up on a new SQLite database in `folder`, migrated, sending its email to
    127.0.0.1:`acknowledgements_port`."""
    os.environ.update(
        {
            "PASSAGE_VAR_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'passage.sqlite3'}",
            "PASSAGE_MEDIA_ROOT": str(folder / "media"),
            "PASSAGE_DEBUG": "0",
            "PASSAGE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "PASSAGE_EMAIL_HOST": HOST,
            "PASSAGE_EMAIL_PORT": str(acknowledgements_port),
            "PASSAGE_EMAIL_HOST_USER": "",
            "PASSAGE_EMAIL_HOST_PASSWORD": "",
            "PASSAGE_EMAIL_USE_TLS": "0",
            "PASSAGE_EMAIL_USE_SSL": "0",
            "DJANGO_SETTINGS_MODULE": "passage.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# -- SMTP servers --------------------------------------------------------------------


class KeepNothing:
    """The baseline's handler: every message accepted, nothing kept."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 2.0.0 Message accepted"


@dataclass
class AcknowledgementSink:
    """Where the outbox delivers: when each recipient's acknowledgement arrived
    (time.monotonic()), and how many messages came in all (to see any sent twice)."""

    arrivals: dict[str, float] = field(default_factory=dict)
    messages: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.monotonic()
        self.messages += 1
        for recipient in envelope.rcpt_tos:
            self.arrivals[recipient] = at
        return "250 2.0.0 Message accepted"

    def wait_for(self, recipients: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if recipients <= self.arrivals.keys():
                return True
            time.sleep(0.05)
        return recipients <= self.arrivals.keys()


# -- Messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Messages to send: the JSON file the clients read, each message's sender (unique),
    the corpus language it was written in, and the sizes."""

    path: Path
    senders: list[str]
    languages: list[str]
    attachments: int
    sizes: list[int]

    @property
    def domain(self) -> str:
        return self.senders[0].rpartition("@")[2]


def make_batch(folder: Path, label: str, count: int, rng: random.Random) -> Batch:
    """`count` client emails from a seeded sample of the corpus, from
    client-N@`label`.example.org."""
    from passage.mailtriage.corpus import corpus
    from tests.builders import one_page_pdf

    emails = corpus()
    chosen = [email for _ in range(count // len(emails) + 1) for email in emails]
    rng.shuffle(chosen)
    messages, senders, languages, sizes, attachments = [], [], [], [], 0
    for number, email in enumerate(chosen[:count]):
        address = f"client-{number}@{label}.example.org"
        files = []
        if number % ATTACHMENT_EVERY == ATTACHMENT_EVERY // 2:
            text = b"BT /F1 12 Tf 72 720 Td (Passport, page 1, client %d of %s) Tj ET" % (
                number,
                label.encode(),
            )
            files.append(("passport.pdf", "application/pdf", one_page_pdf(content=text)))
            attachments += 1
        # SMTP's line ends: smtplib sends bytes as they are, and a message with bare line
        # feeds reads as one long line.
        raw = client_email(
            sender=f"{rng.choice(NAMES)} <{address}>",
            subject=email.subject,
            body=email.body,
            message_id=f"<{label}-{number}-{rng.getrandbits(64):016x}@example.org>",
            attachments=files,
        ).replace(b"\n", b"\r\n")
        messages.append({"sender": address, "raw": raw.decode("latin-1")})
        senders.append(address)
        languages.append(email.language)
        sizes.append(len(raw))
    path = folder / f"{label}.json"
    path.write_text(json.dumps(messages), encoding="utf-8")
    return Batch(path, senders, languages, attachments, sizes)


@dataclass(frozen=True)
class Sent:
    """What the clients measured: each message's transaction start and end, and the
    messages that were not accepted."""

    starts: list[float]
    ends: list[float]
    failures: list[dict[str, Any]]

    @property
    def seconds(self) -> float:
        return max(self.ends) - min(self.starts)

    def rate(self) -> float:
        return len(self.starts) / self.seconds

    def transaction_ms(self) -> list[float]:
        return [(end - start) * 1000 for start, end in zip(self.starts, self.ends, strict=True)]


def send(port: int, batch: Batch, clients: int) -> Sent:
    """Send a batch from the clients' own process; wait for them to finish."""
    done = subprocess.run(
        [
            sys.executable,
            str(SUPPORT / "mail_load.py"),
            "--port",
            str(port),
            "--clients",
            str(clients),
            str(batch.path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(done.stdout)
    return Sent(answer["starts"], answer["ends"], answer["failures"])


def running(handler: object, port: int) -> Controller:
    server = Controller(handler, hostname=HOST, port=port, ready_timeout=10)
    server.start()
    return server


# -- Through the receiver -------------------------------------------------------------


@dataclass
class Kept:
    """What the database holds for a batch after the receiver answered."""

    states: Counter[str]
    acknowledged: int
    queued: int
    queued_to_senders: bool
    language_as_written: int
    attachments: int


def kept(batch: Batch) -> Kept:
    from passage.correspondence.models import InboundEmail, MailAttachment
    from passage.outbox.models import OutboxMessage

    emails = InboundEmail.objects.filter(sender__endswith="@" + batch.domain)
    acknowledged = emails.filter(state=InboundEmail.State.OPEN, acknowledged_at__isnull=False)
    queued = OutboxMessage.objects.filter(
        template="mail_received", to_email__endswith="@" + batch.domain
    )
    written = dict(zip(batch.senders, batch.languages, strict=True))
    detected = dict(emails.values_list("sender", "language"))
    return Kept(
        states=Counter(emails.values_list("state", flat=True)),
        acknowledged=acknowledged.count(),
        queued=queued.count(),
        queued_to_senders=set(queued.values_list("to_email", flat=True))
        == set(acknowledged.values_list("sender", flat=True)),
        language_as_written=sum(detected.get(sender) == written[sender] for sender in written),
        attachments=MailAttachment.objects.filter(email__in=emails).count(),
    )


def acknowledged_senders(batch: Batch) -> set[str]:
    """The senders of a batch whose email the receiver acknowledged (queued an answer to)."""
    from passage.correspondence.models import InboundEmail

    return set(
        InboundEmail.objects.filter(
            sender__endswith="@" + batch.domain, acknowledged_at__isnull=False
        ).values_list("sender", flat=True)
    )


def deliver_all() -> tuple[int, float]:
    """One delivery pass over everything due: emails sent, and seconds."""
    from passage import clock
    from passage.outbox.delivery import deliver_due_emails

    started = time.perf_counter()
    done = deliver_due_emails(now=clock.now(), clock=clock.now)
    return done.sent, time.perf_counter() - started


class DeliveryWorker(threading.Thread):
    """`passage deliver_email --every` in a thread: a pass, then the interval's wait."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="delivery-worker")
        self.interval = interval
        self.stopping = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        from django.db import close_old_connections, connection

        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    deliver_all()
                except Exception as error:  # a pass that fails is retried, as the worker does
                    self.errors.append(repr(error))
                self.stopping.wait(self.interval)
        finally:
            connection.close()


@dataclass
class SmtpFigures:
    messages: int
    clients: int
    attachments: int
    sizes: list[int]
    bare: Sent
    receiver: Sent
    kept: Kept
    delivered: int
    delivery_seconds: float
    acknowledgements_arrived: int
    alongside: Sent
    alongside_kept: Kept
    alongside_arrivals: list[float]
    alongside_seconds: float
    alongside_missing: int
    interval: float
    sink_messages: int
    expected_sink_messages: int
    worker_errors: list[str]


def measure_smtp(
    folder: Path, sink: AcknowledgementSink, messages: int, clients: int
) -> SmtpFigures:
    from django.conf import settings

    from passage.correspondence.receiver import controller

    rng = random.Random(SEED)
    warm = make_batch(folder, "warm", WARM_UP, rng)
    first = make_batch(folder, "receive", messages, rng)
    second = make_batch(folder, "alongside", messages, rng)
    log(f"made {messages} messages twice ({first.attachments} with a PDF each time)")

    bare_port = free_port()
    bare_server = running(KeepNothing(), bare_port)
    try:
        send(bare_port, warm, clients)
        bare = send(bare_port, first, clients)
    finally:
        bare_server.stop()
    log(f"bare server: {bare.rate():.0f} messages/s")

    port = free_port()
    receiver = controller(HOST, port)
    receiver.start()
    try:
        send(port, warm, clients)  # warm: the model, the templates, the connections
        deliver_all()
        through = send(port, first, clients)
        log(f"receiver: {through.rate():.0f} messages/s")
        first_kept = kept(first)
        delivered, delivery_seconds = deliver_all()
        sink.wait_for(acknowledged_senders(first), timeout=30)
        arrived = sum(sender in sink.arrivals for sender in first.senders)
        log(f"delivered {delivered} acknowledgements: {delivered / delivery_seconds:.0f}/s")

        interval = float(settings.PASSAGE_EMAIL_DELIVERY_INTERVAL)
        worker = DeliveryWorker(interval)
        worker.start()
        try:
            alongside = send(port, second, clients)
            sink.wait_for(acknowledged_senders(second), timeout=60 + 2 * interval)
        finally:
            worker.stopping.set()
            worker.join()
        log(f"receiver with the delivery worker: {alongside.rate():.0f} messages/s")
        second_kept = kept(second)
    finally:
        receiver.stop()
    arrived_at = {
        sender: (start, sink.arrivals[sender])
        for sender, start in zip(second.senders, alongside.starts, strict=True)
        if sender in sink.arrivals
    }
    arrivals = [end - start for start, end in arrived_at.values()]
    last = max((end for _, end in arrived_at.values()), default=float("nan"))
    return SmtpFigures(
        messages=messages,
        clients=clients,
        attachments=first.attachments,
        sizes=first.sizes,
        bare=bare,
        receiver=through,
        kept=first_kept,
        delivered=delivered,
        delivery_seconds=delivery_seconds,
        acknowledgements_arrived=arrived,
        alongside=alongside,
        alongside_kept=second_kept,
        alongside_arrivals=arrivals,
        alongside_seconds=last - min(alongside.starts),
        alongside_missing=messages - len(arrivals),
        interval=interval,
        sink_messages=sink.messages,
        expected_sink_messages=WARM_UP + 2 * messages,
        worker_errors=worker.errors,
    )


# -- Classification -------------------------------------------------------------------


@dataclass
class TriageFigures:
    emails: int
    repeats: int
    language_alone: float  # seconds per email, the baseline
    probabilities: float
    batch: float
    one_at_a_time: float
    single: int
    languages: Counter[str]


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest of `repeats` runs, in seconds, and what the last one returned."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure_triage(count: int | None, single: int, repeats: int) -> TriageFigures:
    """Classification of the corpus (or a seeded sample of `count` of its emails); `triage`
    one at a time on a seeded sample of `single` of them, once (it is slow)."""
    from passage.mailtriage.corpus import corpus
    from passage.mailtriage.language import detect_language
    from passage.mailtriage.model import shipped
    from passage.mailtriage.text import client_text, split_quoted
    from passage.mailtriage.triage import triage, triage_all

    emails = [(email.subject, email.body) for email in corpus()]
    rng = random.Random(SEED)
    if count is not None:
        emails = rng.sample(emails, count)
    sample = rng.sample(emails, min(single, len(emails)))
    n = len(emails)
    # What `triage_all` gives language detection: the client's own words, else the whole.
    texts = [client_text(subject, body) for subject, body in emails]
    owns = [split_quoted(body)[0] for _, body in emails]
    language_inputs = [own if own.split() else text for own, text in zip(owns, texts, strict=True)]
    model = shipped()
    triage_all(emails[:10])  # warm: the model and the language identifier loaded
    language_alone, _ = best_of(repeats, lambda: [detect_language(t) for t in language_inputs])
    probabilities, _ = best_of(
        repeats,
        lambda: model.probabilities([client_text(subject, body) for subject, body in emails]),
    )
    batch, results = best_of(repeats, lambda: triage_all(emails))
    one_at_a_time, _ = best_of(1, lambda: [triage(subject, body) for subject, body in sample])
    languages = Counter(result.language for result in results)
    return TriageFigures(
        emails=n,
        repeats=repeats,
        language_alone=language_alone / n,
        probabilities=probabilities / n,
        batch=batch / n,
        one_at_a_time=one_at_a_time / len(sample),
        single=len(sample),
        languages=languages,
    )


# -- Report -----------------------------------------------------------------------------


def ratio(value: float) -> str:
    return f"{value:.3f}x" if value < 0.1 else f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def kept_sentence(label: str, figures: Kept, messages: int) -> str:
    states = ", ".join(f"{count} {state}" for state, count in sorted(figures.states.items()))
    return (
        f"{label}: {sum(figures.states.values())} of {messages} kept ({states}), "
        f"{figures.acknowledged} open with an acknowledgement, {figures.queued} "
        f"`mail_received` emails queued"
        f"{'' if figures.queued_to_senders else ' (NOT to exactly those senders)'}, "
        f"{figures.attachments} attachments stored; language detected as written: "
        f"{figures.language_as_written} of {messages}."
    )


def report(
    smtp: SmtpFigures, triage: TriageFigures, took: float, loads: list[float], quick: bool
) -> str:
    facts = machine_facts()
    when = datetime.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    n = smtp.messages
    baseline = smtp.bare.rate()
    receiving = smtp.receiver.rate()
    delivering = smtp.delivered / smtp.delivery_seconds
    one_after_the_other = n / (smtp.receiver.seconds + smtp.delivery_seconds)
    end_to_end = len(smtp.alongside_arrivals) / smtp.alongside_seconds
    sizes = sorted(smtp.sizes)
    failures = len(smtp.bare.failures) + len(smtp.receiver.failures) + len(smtp.alongside.failures)

    def smtp_row(label: str, rate: float, sent: Sent | None) -> str:
        cells = [label, f"{rate:,.0f}", ratio(rate / baseline)]
        if sent is None:
            cells += ["", ""]
        else:
            ms = sent.transaction_ms()
            cells += [f"{statistics.median(ms):.1f}", f"{percentile(ms, 0.99):.1f}"]
        return "| " + " | ".join(cells) + " |"

    latencies = smtp.alongside_arrivals
    t = triage
    detected = ", ".join(f"{count} detected {code}" for code, count in sorted(t.languages.items()))
    lines = [
        SECTION,
        "",
        f"Measured {when} by `benchmarks/mail.py` in {took:.0f} s"
        f"{' (a quick run: --quick)' if quick else ''}. Machine: {facts['cores']} cores "
        f"(nproc), {facts['cpu']}. One-minute load average at the start and the end: "
        f"{loads[0]:.1f} and {loads[1]:.1f}. Run with `scripts/run-benchmarks mail`.",
        "",
        f"Through the SMTP receiver: {n} client emails made from the triage corpus (a seeded "
        f"sample, English and French, every category; {smtp.attachments} with a one-page PDF "
        f"attached), {sizes[0]:,} to {sizes[-1]:,} bytes (median "
        f"{statistics.median(sizes):,.0f}), each from its own address and with its own "
        f"Message-ID, sent by {smtp.clients} smtplib clients in another process, each "
        "reusing its connection. The baseline is the same emails sent to a bare aiosmtpd "
        "server that keeps nothing, in the same run. Passage's receiver "
        "(`passage.correspondence.receiver.controller`, as `passage mail serve` runs it, "
        "on a fresh SQLite database, the embedded default) answers 250 only once the "
        "message is kept, classified, linked, and its acknowledgement queued in the outbox, "
        "all committed. The acknowledgements were then sent by one pass of "
        "`deliver_due_emails` to a local aiosmtpd server. Last, another "
        f"{n} emails went through the receiver while a delivery worker ran alongside "
        f"(a pass every {smtp.interval:.0f} s, PASSAGE_EMAIL_DELIVERY_INTERVAL, as "
        "`passage deliver_email --every` runs), from the first email sent to the last "
        "acknowledgement received. Ms to 250 is the client's whole SMTP transaction for one "
        "message (MAIL FROM to the answer to the data).",
        "",
        "| path | messages per second | vs baseline | median ms to 250 | p99 ms to 250 |",
        "|---|---|---|---|---|",
        smtp_row("bare aiosmtpd server, keeps nothing (baseline)", baseline, smtp.bare),
        smtp_row(
            "Passage's receiver: kept, classified, acknowledged (queued), committed",
            receiving,
            smtp.receiver,
        ),
        smtp_row(
            f"acknowledgements sent by `deliver_due_emails` ({smtp.delivered} in "
            f"{smtp.delivery_seconds:.1f} s)",
            delivering,
            None,
        ),
        smtp_row(
            "received, then acknowledgements sent, one after the other", one_after_the_other, None
        ),
        smtp_row(
            "received with the delivery worker alongside: first sent to last "
            "acknowledgement received",
            end_to_end,
            smtp.alongside,
        ),
        "",
    ]
    if latencies:
        lines += [
            "From an email's sending to its acknowledgement's arrival, with the worker "
            f"alongside: median {statistics.median(latencies):.2f} s, p99 "
            f"{percentile(latencies, 0.99):.2f} s, worst {max(latencies):.2f} s (the "
            f"worker's {smtp.interval:.0f} s wait between passes included).",
            "",
        ]
    lines += [
        kept_sentence("Checked after the receiver's run", smtp.kept, n)
        + f" Acknowledgements received by the mail server: {smtp.acknowledgements_arrived} "
        f"of {n}.",
        "",
        kept_sentence("With the worker alongside", smtp.alongside_kept, n)
        + f" Acknowledgements received: {n - smtp.alongside_missing} of {n}.",
        "",
        f"Messages not accepted (any answer but 250): {failures}. Acknowledgements the "
        f"mail server received in all: {smtp.sink_messages} for "
        f"{smtp.expected_sink_messages} emails sent (warm-up included)"
        + (
            f"; delivery passes that failed: {len(smtp.worker_errors)}"
            if smtp.worker_errors
            else ""
        )
        + ".",
        "",
    ]
    errors = Counter(
        str(failure["error"])[:200]
        for sent in (smtp.bare, smtp.receiver, smtp.alongside)
        for failure in sent.failures
    )
    if errors:
        lines += ["Answers other than 250:", ""]
        lines += [f"- {count} x {error}" for error, count in errors.most_common(5)]
        lines.append("")
    lines += [
        f"Classification: the {t.emails} emails of the triage corpus "
        f"({detected}), best of {t.repeats} run{'s' if t.repeats > 1 else ''}, in this "
        "process. The receiver classifies one email at a time (`triage`); `passage mail "
        "classify` reads its input in one batch (`triage_all`).",
        "",
        "| step | µs per email | emails per second | vs baseline |",
        "|---|---|---|---|",
    ]
    for label, seconds in (
        ("language detection alone, `detect_language` (baseline)", t.language_alone),
        ("`client_text` and the classifier's probabilities alone, in one batch", t.probabilities),
        ("`triage_all`, the whole corpus in one batch", t.batch),
        (f"`triage`, one email at a time ({t.single} of them, once)", t.one_at_a_time),
    ):
        lines.append(
            f"| {label} | {seconds * 1e6:,.0f} | {1 / seconds:,.0f} | "
            f"{ratio(seconds / t.language_alone)} |"
        )
    lines += [
        "",
        f"Batch speed-up: `triage_all` is {t.one_at_a_time / t.batch:.1f}x faster a "
        "message than `triage` one at a time.",
        "",
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=MESSAGES, help="emails sent per run")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent SMTP clients")
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a small run that checks the benchmark works ({QUICK['messages']} emails, "
        f"{QUICK['corpus']} classified); never writes results.md",
    )
    return parser.parse_args()


def main(write: Callable[[str, str], None] = write_section) -> int:
    args = parse_args()
    messages = QUICK["messages"] if args.quick else args.messages
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(TIME_BUDGET_SECONDS)
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    var = ROOT / os.environ.get("PASSAGE_VAR_DIR", "var")  # as the settings read it
    var.mkdir(parents=True, exist_ok=True)
    sink = AcknowledgementSink()
    sink_port = free_port()
    sink_server = running(sink, sink_port)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-mail-", dir=var) as folder:
            log(f"migrating a fresh SQLite database in {folder}")
            django_on_fresh_sqlite(Path(folder), sink_port)
            smtp = measure_smtp(Path(folder), sink, messages, args.clients)
            from django.db import connections

            connections.close_all()
    finally:
        sink_server.stop()
    if args.quick:
        triage = measure_triage(QUICK["corpus"], QUICK["single"], QUICK["repeats"])
    else:
        triage = measure_triage(None, ONE_AT_A_TIME, TRIAGE_REPEATS)
    log(f"triage: {triage.one_at_a_time * 1e6:.0f} µs an email one at a time")
    loads.append(os.getloadavg()[0])
    section = report(smtp, triage, time.perf_counter() - started, loads, args.quick)
    print(section)
    if not (args.no_write or args.quick):
        write(SECTION, section)
        log(f"Wrote the '{SECTION[3:]}' section of benchmarks/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
