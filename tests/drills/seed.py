"""What a drill puts in its own Passage before the fault, run inside it as a process of
its own (`python -m tests.drills.seed ...` with the drill's environment), so that it
writes to the drill's private database through Passage's own services.

    applicants N     make N applicants, each with an API token (the first one can also
                     sign in with PASSWORD); print them as JSON
    submit NAME N    submit N applications as the applicant NAME; print their references
    deadlines NAME N submit N applications as NAME, each in review with an officer who
                     asked yesterday for documents due today; print the requests' ids
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


def deadlines(username: str, count: int) -> list[int]:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from passage import clock
    from passage.accounts.models import Office
    from passage.accounts.roles import Role
    from passage.accounts.services import create_person
    from passage.cases import services as cases
    from passage.cases.actors import SYSTEM
    from passage.cases.models import DocumentRequest
    from passage.cases.status import Step

    office, _ = Office.objects.get_or_create(
        code="drill", defaults={"name_en": "Drill office", "name_fr": "Bureau des exercices"}
    )
    officer = create_person(
        username="drill-officer",
        email="drill-officer@example.com",
        password=None,
        roles=[Role.OFFICER],
        office=office,
    )
    # The day before in the office's zone and in UTC alike (the service checks the due
    # date against the request's day in UTC): 30 hours back is both.
    yesterday = clock.now() - timedelta(days=1, hours=6)
    references = submit(username, count)
    ids = []
    for number, reference in enumerate(references):
        case_id = cases_by_reference(reference)
        cases.begin_triage(case_id=case_id, actor=SYSTEM, idempotency_key=f"t{number}")
        cases.assign_officer(
            case_id=case_id, actor=SYSTEM, officer=officer, reasons={}, idempotency_key=f"a{number}"
        )
        cases.begin_review(case_id=case_id, actor=SYSTEM, idempotency_key=f"r{number}")
        cases.request_documents(
            case_id=case_id,
            actor=officer,
            step=Step.BIOMETRICS,
            items=["Fingerprint receipt"],
            # Today where the office and its client are, not in UTC: in the hours after
            # midnight UTC the drill's outage falls on the day before.
            due_on=clock.now().astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)).date(),
            idempotency_key=f"d{number}",
            now=yesterday,
        )
        ids.append(DocumentRequest.objects.get(case__public_id=case_id).pk)
    return ids


def cases_by_reference(reference: str) -> object:
    from passage.cases.models import Case

    return Case.objects.get(reference=reference).public_id


def main(arguments: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    django.setup()
    command, *rest = arguments
    if command == "applicants":
        print(json.dumps(applicants(int(rest[0]))))
    elif command == "submit":
        print(json.dumps(submit(rest[0], int(rest[1]))))
    elif command == "deadlines":
        print(json.dumps(deadlines(rest[0], int(rest[1]))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
