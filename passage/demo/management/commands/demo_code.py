"""`passage demo_code USERNAME`: the current sign-in code of a demo staff account."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from passage.demo.people import demo_totp_device


class Command(BaseCommand):
    help = (
        "Print the 6-digit code that the demo authenticator app of a demo staff account "
        "shows now (for example: passage demo_code officer). Refuses any other account."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        device = demo_totp_device(options["username"])
        if device is None:
            raise CommandError(
                f"{options['username']} is not a demo staff account with the demo "
                "authenticator; only those have a code this command can show."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
