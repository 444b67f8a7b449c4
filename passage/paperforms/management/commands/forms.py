"""`passage forms print` and `passage forms read`: the paper form's commands, as
`shared/spec/barcode-form.md` gives them.

    passage forms print --form cit-grant-adult --input APPLICATION.json --output FORM.pdf
    passage forms read --input SCAN.(pdf|png|jpg) [--output APPLICATION.json]

Exit 0 when done; 1 with a message naming what is missing or wrong ("symbol 2 of 3 not
found", "CRC mismatch", a field of the document); 2 for a usage error (an unknown
option, a file that cannot be opened)."""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from passage import clock
from passage.paper import reading, symbols
from passage.paper.document import DocumentError, check_document, printed_form, stamped
from passage.paper.layout import render_pdf
from passage.paperforms.catalogue import definition_for, form_definitions
from passage.paperforms.printing import department_time

USAGE = 2
WRONG = 1


class Command(BaseCommand):
    help = "Print a paper form with its PDF417 symbols, or read one back from a scan."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        printing = actions.add_parser("print", help="Print a form from its JSON document.")
        printing.add_argument("--form", required=True, help="The form's code: cit-grant-adult.")
        printing.add_argument("--input", required=True, type=Path, help="The JSON document.")
        printing.add_argument("--output", required=True, type=Path, help="The PDF to write.")
        read = actions.add_parser("read", help="Read a form's JSON document from a scan.")
        read.add_argument("--input", required=True, type=Path, help="A PDF, PNG or JPEG scan.")
        read.add_argument("--output", type=Path, help="Where to write the JSON (else stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "print":
            self._print(options["form"], options["input"], options["output"])
        else:
            self._read(options["input"], options.get("output"))

    def _print(self, form: str, source: Path, target: Path) -> None:
        definition = definition_for(form)
        if definition is None:
            known = ", ".join(sorted(form_definitions())) or "none"
            raise CommandError(f"unknown form {form!r} (known: {known})", returncode=USAGE)
        try:
            document = json.loads(_read_bytes(source).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                f"{source}: not a JSON document: {error}", returncode=WRONG
            ) from None
        if isinstance(document, dict):
            document = {key: value for key, value in document.items() if key != "printed_at"}
        try:
            check_document(definition, document, printed=False)
        except DocumentError as error:
            raise CommandError("; ".join(error.problems), returncode=WRONG) from None
        document = stamped(document, department_time(clock.now()))
        try:
            target.write_bytes(render_pdf(printed_form(definition, document)))
        except OSError as error:
            raise CommandError(f"{target}: cannot be written: {error}", returncode=USAGE) from None
        self.stdout.write(f"{target}: {form}, printed at {document['printed_at']}")

    def _read(self, source: Path, target: Path | None) -> None:
        try:
            scan = reading.read_scan(_read_bytes(source))
        except reading.ScanError as error:
            raise CommandError(f"{source}: {error}", returncode=WRONG) from None
        texts = [text for text in scan.texts if text.startswith(f"{symbols.FORMAT}:")]
        try:
            code, document = symbols.decode(texts)
        except symbols.PayloadError as error:
            raise CommandError(str(error), returncode=WRONG) from None
        definition = definition_for(code)
        if definition is None:
            raise CommandError(f"unknown form {code!r}", returncode=WRONG)
        try:
            check_document(definition, document)
        except DocumentError as error:
            raise CommandError("; ".join(error.problems), returncode=WRONG) from None
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if target is None:
            sys.stdout.write(text)
            return
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{target}: cannot be written: {error}", returncode=USAGE) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot be read: {error.strerror}", returncode=USAGE) from None
