"""What a drill puts in its own Passage before the fault, run inside it as a process of
its own (`python -m tests.drills.seed ...` with the drill's environment), so that it
writes to the drill's private database through Passage's own services.

    applicants N     make N applicants, each with an API token (the first one can also
                     sign in with PASSWORD); print them as JSON
    submit NAME N    submit N applications as the applicant NAME; print their references
"""

import json
import os
import sys
from datetime import date

PASSWORD = "drill passphrase, never a real one"


def applicants(count: int) -> list[dict[str, str]]:
    from passage.accounts.roles import Role
    from passage.accounts.services import create_person, issue_api_token

    made = []
    for number in range(count):
        username = f"drill-applicant-{number}"
        person = create_person(
            username=username,
            email=f"{username}@example.com",
            # Hashing a password takes a good part of a second: only the first needs one.
            password=PASSWORD if number == 0 else None,
            roles=[Role.APPLICANT],
        )
        made.append({"username": username, "token": issue_api_token(user=person, name="drill")})
    return made


def submit(username: str, count: int) -> list[str]:
    from passage.accounts.models import User
    from passage.intake.services import submit_application

    person = User.objects.get(username=username)
    return [
        submit_application(
            submitter=person,
            program_code="iec",
            category="working-holiday",
            given_name="Ana",
            family_name=f"Silva {number}",
            date_of_birth=date(1998, 2, 28),
            citizenship="PT",
            email="ana@example.com",
            preferred_language="en",
            answers={"funds_cad": 3000},
            documents=[],
            idempotency_key=f"drill-seed-{number}",
        ).case.reference
        for number in range(count)
    ]


def main(arguments: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    django.setup()
    command, *rest = arguments
    if command == "applicants":
        print(json.dumps(applicants(int(rest[0]))))
    elif command == "submit":
        print(json.dumps(submit(rest[0], int(rest[1]))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
