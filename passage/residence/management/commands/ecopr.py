"""`passage ecopr`: the electronic Confirmation of Permanent Residence.

    passage ecopr keys                                   make the development keys (once)
    passage ecopr render --case REFERENCE [--person N] --output FILE.pdf
    passage ecopr verify FILE.pdf

`render` writes the eCOPR issued to a person on the case (the principal applicant, or
the Nth person), exactly as it was signed. `verify` checks a file as the public page
does: exit 0 and the fields on the document when it is genuine, unaltered and not
revoked; 1 and the reason when not; 2 for a usage error (a file that cannot be read)."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passage import clock
from passage.ecopr.verification import Verdict
from passage.intake.documents import read_whole
from passage.residence.issuing import department_keys
from passage.residence.models import Confirmation
from passage.residence.selectors import current_ecopr
from passage.residence.verification import check_pdf

NOT_GENUINE = 1
USAGE = 2


class Command(BaseCommand):
    help = "Make the development keys, write an issued eCOPR, or verify an eCOPR file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("keys", help="Make the development keys if they are missing.")
        render = actions.add_parser("render", help="Write the eCOPR issued to a person.")
        render.add_argument("--case", required=True, metavar="REFERENCE")
        render.add_argument(
            "--person", type=int, default=0, metavar="N", help="0: the principal applicant"
        )
        render.add_argument("--output", required=True, type=Path, metavar="FILE.pdf")
        verify = actions.add_parser("verify", help="Check an eCOPR file.")
        verify.add_argument("file", type=Path, metavar="FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "keys":
            department_keys(clock.now())
            self.stdout.write(f"eCOPR keys in {settings.PASSAGE_ECOPR_KEY_DIR}")
        elif action == "render":
            self._render(options["case"], options["person"], options["output"])
        else:
            self._verify(options["file"])

    def _render(self, reference: str, position: int, output: Path) -> None:
        confirmation = (
            Confirmation.objects.filter(
                case__reference=reference.strip().upper().replace(" ", ""), position=position
            )
            .select_related("case")
            .first()
        )
        if confirmation is None:
            raise CommandError(f"No person {position} to confirm on the case {reference}.")
        document = current_ecopr(confirmation)
        if document is None:
            raise CommandError(
                f"Permanent residence of person {position} on {reference} is not confirmed yet: "
                "no eCOPR was issued."
            )
        content = read_whole(document.storage_key, document.sha256)
        if content is None:
            raise CommandError("The stored eCOPR is missing or damaged.")
        output.write_bytes(content)
        self.stdout.write(f"{output}: eCOPR {confirmation.document_number}, {len(content)} bytes")

    def _verify(self, path: Path) -> None:
        try:
            content = path.read_bytes()
        except OSError as error:
            self.stderr.write(f"{path}: cannot be read: {error.strerror}")
            sys.exit(USAGE)
        verdict = check_pdf(content, now=clock.now())
        if not verdict.genuine:
            self.stdout.write(f"not genuine: {verdict.reason}")
            sys.exit(NOT_GENUINE)
        self.stdout.write("genuine")
        for name, value in _fields(verdict):
            self.stdout.write(f"{name}: {value}")


def _fields(verdict: Verdict) -> list[tuple[str, str]]:
    """The fields on the document: the signed record it carries, else its QR code's."""
    if verdict.record:
        return [(str(name), _flat(value)) for name, value in verdict.record.items()]
    credential = verdict.credential
    assert credential is not None
    return [(name, _flat(value)) for name, value in vars(credential).items() if name != "key_id"]


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return " / ".join(str(part) for part in value.values())
    return "" if value is None else str(value)
