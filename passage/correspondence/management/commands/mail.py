"""`passage mail`: client email.

    passage mail serve [--host HOST] [--port PORT]   receive over SMTP (a mail server delivers)
    passage mail fetch [--every SECONDS]             fetch from the settings' IMAP mailbox
    passage mail process [--every SECONDS]           read kept messages a crash left unread
    passage mail classify [--input FILE.jsonl] [--output FILE.jsonl]
    passage mail labels --output FILE.jsonl          the categories officers gave, to train on
    passage mail train [--labels FILE.jsonl]         retrain the classifier, write its evaluation

`classify` is `shared/spec/email-triage.md`'s command: exit 0, 1 when a line was invalid
(its result is an error line), 2 for a usage error (a file that cannot be opened)."""

import json
import os
import signal
import sys
import threading
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passage.cli import open_stream
from passage.correspondence.fetcher import Mailbox, fetch
from passage.correspondence.labels import write_labels
from passage.correspondence.receiver import controller
from passage.correspondence.services import read_waiting_emails
from passage.resilience import run_every

USAGE = 2
WRONG = 1
EVALUATION_DOC = Path(settings.BASE_DIR) / "docs" / "email-triage-evaluation.md"


class Command(BaseCommand):
    help = "Receive, fetch, read and classify client email; retrain the classifier."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        serve = actions.add_parser("serve", help="Receive client email over SMTP.")
        serve.add_argument("--host", default=None, help="default: PASSAGE_MAIL_HOST")
        serve.add_argument("--port", type=int, default=None, help="default: PASSAGE_MAIL_PORT")
        for name, text in (
            ("fetch", "Fetch client email from the IMAP mailbox."),
            ("process", "Read kept messages that were not read yet."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument(
                "--every",
                type=float,
                default=None,
                metavar="SECONDS",
                help="stay running and do it again at this interval",
            )
        classify = actions.add_parser("classify", help="Classify emails given as JSON lines.")
        classify.add_argument(
            "--input", default="-", help="JSON lines, one email each (- for stdin)"
        )
        classify.add_argument(
            "--output", default="-", help="where to write the results (- for stdout)"
        )
        labels = actions.add_parser(
            "labels", help="Write the emails officers categorised, to train on."
        )
        labels.add_argument("--output", required=True, type=Path, help="a JSON lines file")
        train = actions.add_parser("train", help="Retrain the classifier on the corpus.")
        train.add_argument(
            "--labels",
            type=Path,
            action="append",
            default=[],
            help="officers' labels (from `passage mail labels`), added to training only",
        )
        train.add_argument(
            "--evaluation",
            type=Path,
            default=EVALUATION_DOC,
            help="where to write the evaluation (Markdown)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "serve":
            self._serve(
                options["host"] or settings.PASSAGE_MAIL_HOST,
                options["port"] or settings.PASSAGE_MAIL_PORT,
            )
        elif action == "fetch":
            self._repeat(
                "fetch",
                lambda: self.stdout.write(f"Fetched {fetch(Mailbox.from_settings())} email(s)."),
                options["every"],
            )
        elif action == "process":
            self._repeat(
                "process",
                lambda: self.stdout.write(f"Read {read_waiting_emails()} waiting email(s)."),
                options["every"],
            )
        elif action == "classify":
            if not _classify(options["input"], options["output"]):
                sys.exit(WRONG)
        elif action == "labels":
            count = write_labels(options["output"])
            self.stdout.write(f"Wrote {count} labelled email(s) to {options['output'].name}.")
        else:
            self._train(options["evaluation"], options["labels"])

    def _serve(self, host: str, port: int) -> None:
        receiver = controller(host, port)
        receiver.start()
        self.stdout.write(f"Receiving client email on {host}:{port}; Ctrl-C stops.")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.stop()

    def _repeat(self, name: str, work: Any, every: float | None) -> None:
        if every is None:
            work()
            return
        run_every(every, work, name=f"mail {name}")

    def _train(self, evaluation: Path, labels: list[Path]) -> None:
        from passage.mailtriage.corpus import corpus, labelled
        from passage.mailtriage.evaluation import as_markdown, evaluate
        from passage.mailtriage.model import MODEL_FILE
        from passage.mailtriage.training import train

        started = time.monotonic()
        try:
            extra = [email for path in labels for email in labelled(path)]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"the labels cannot be read: {error}", returncode=USAGE) from None
        trained = train(corpus(), extra)
        trained.classifier.save(MODEL_FILE)
        report = evaluate(trained.classifier, trained.evaluation)
        evaluation.write_text(as_markdown(report, trained.classifier) + "\n", encoding="utf-8")
        self.stdout.write(
            f"Trained on {len(trained.training)} emails in {time.monotonic() - started:.0f} s; "
            f"threshold {trained.classifier.threshold:.3f}; "
            f"model {MODEL_FILE.name}; evaluation {evaluation.name}"
        )


def _classify(source_name: str, target_name: str) -> bool:
    from passage.mailtriage.lines import classify_lines

    # Read as bytes: a line that is not UTF-8 gets its own error line.
    try:
        source = sys.stdin.buffer if source_name == "-" else open(source_name, "rb")  # noqa: SIM115
    except OSError as error:
        raise CommandError(
            f"cannot open {source_name}: {error.strerror}", returncode=USAGE
        ) from None
    target = open_stream(target_name, "w", sys.stdout)
    all_valid = True
    try:
        for line, valid in classify_lines(source, threshold=settings.PASSAGE_MAIL_AUTO_THRESHOLD):
            target.write(_json_line(line) + "\n")
            all_valid = all_valid and valid
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    finally:
        if target is not sys.stdout:
            target.close()
        if source is not sys.stdin.buffer:
            source.close()
    return all_valid


def _json_line(line: dict[str, object]) -> str:
    try:
        return orjson.dumps(line).decode()
    except TypeError:
        # An id with a lone surrogate ("\\ud800" in the input) cannot be UTF-8: escape it.
        return json.dumps(line, ensure_ascii=True)
