"""`passage load_demo`: load the demonstration data and print the demo sign-ins."""

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passage.cases.errors import IdempotencyConflict
from passage.demo.data import DEMO_PASSWORD
from passage.demo.load import DEFAULT_SIZE, load_demo
from passage.demo.people import SIGN_INS
from passage.demo.residence import invitation_links
from passage.intake.catalogue import CatalogueError


class Command(BaseCommand):
    help = (
        "Load demonstration data: programs, offices, staff, clients and cases in every "
        "status, all through the real services. Running it again changes nothing. The demo "
        "accounts have a known password, so the demo data must never reach a real "
        "deployment: with debug off (PASSAGE_DEBUG unset) the command refuses unless --force."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size",
            type=int,
            default=DEFAULT_SIZE,
            help=f"How many cases to load (default {DEFAULT_SIZE}). A larger size later "
            "adds cases; the first ones stay as they are.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with debug off. Only for a machine of your own: the demo "
            "accounts have a known password and must never reach a real deployment.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Debug is off, so this may be a real deployment, and the demo accounts have "
                "a known password: nothing was loaded. Load the demo with PASSAGE_DEBUG=1, "
                "or add --force on a machine of your own (make run does)."
            )
        if options["size"] < 0:
            raise CommandError("--size must be zero or more.")
        started = time.monotonic()
        try:
            report = load_demo(size=options["size"], paper_forms=True)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        except IdempotencyConflict as error:
            raise CommandError(
                "This database holds demo cases written differently: by an earlier version of "
                "the demo, or from program files (scenarios, the demo section of program.yaml) "
                "edited since. They cannot be replayed. Load the demo into a fresh database "
                "(with the default SQLite database, delete var/passage.sqlite3)."
            ) from error
        seconds = time.monotonic() - started
        programs = report.programs
        self.stdout.write(
            f"Programs: {len(programs.created)} created, {len(programs.updated)} updated, "
            f"{len(programs.unchanged)} unchanged.\n"
            f"Offices: {report.offices_created} created, {report.offices_updated} updated.\n"
            f"People: {report.people_created} created.\n"
            f"Cases: {report.cases_created} created, {report.cases_replayed} already there; "
            f"{report.events_created} events written.\n"
            f"Timeline anchored at {report.anchor:%Y-%m-%d %H:%M} UTC."
        )
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {seconds:.1f} s."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nothing changed: the demo data was already in place ({seconds:.1f} s)."
                )
            )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (every password: {DEMO_PASSWORD}):")
        for sign_in in SIGN_INS:
            self.stdout.write(f"  {sign_in.role:<15} {sign_in.username:<11} {sign_in.description}")
        self.stdout.write(
            "Staff and admin also enter a code from an authenticator app: "
            "`passage demo_code officer` prints the current one."
        )
        links = invitation_links()
        if links:
            self.stdout.write("Invitations to confirm permanent residence, as emailed:")
            for username, link in links.items():
                self.stdout.write(f"  {username:<11} {link}")
