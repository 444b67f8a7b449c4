"""Plain builders for tests: each makes one realistic thing through the real services."""

import io
import itertools
import re
import uuid
from datetime import date, datetime
from typing import Any

from PIL import Image

from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.accounts.services import create_person
from passage.cases.models import Case
from passage.intake.documents import DocumentUpload
from passage.intake.models import Program
from passage.intake.services import submit_application

_counter = itertools.count(1)


def build_pdf(objects: list[bytes], trailer: bytes = b"", comment: bytes = b"") -> bytes:
    """A PDF of `objects`, numbered from 1 (the first is the catalogue), with a correct
    cross-reference table; `trailer` adds entries to the trailer dictionary, `comment` a
    comment line after the header."""
    out = bytearray(b"%PDF-1.4\n" + (b"%" + comment + b"\n" if comment else b""))
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref_at,
    )
    return bytes(out)


def one_page_pdf(
    catalogue: bytes = b"",
    extra_objects: tuple[bytes, ...] = (),
    content: bytes = b"BT /F1 12 Tf 72 720 Td (Passage test document) Tj ET",
    comment: bytes = b"",
) -> bytes:
    """A real one-page PDF. `catalogue` adds entries to the catalogue; `extra_objects` are
    numbered from 6; `content` is the page's content stream, never decoded by the checks."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            *extra_objects,
        ],
        comment=comment,
    )


def png_image(width: int = 16, height: int = 12) -> bytes:
    """A real PNG, drawn by Pillow in memory."""
    return _image("PNG", width, height)


def jpeg_image(width: int = 16, height: int = 12) -> bytes:
    """A real JPEG, drawn by Pillow in memory."""
    return _image("JPEG", width, height)


def _image(image_format: str, width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, image_format)
    return buffer.getvalue()


MINIMAL_PDF = one_page_pdf()


def pdf_of_size(size: int, label: str = "Passage test document") -> bytes:
    """A real one-page PDF of exactly `size` bytes: lines of text on its page, then a
    comment to make up the size. Each `label` gives other bytes (another SHA-256)."""
    line = b"BT /F1 12 Tf 72 720 Td (" + label.encode() + b") Tj ET\n"
    lines = line * max(1, (size - len(one_page_pdf())) // len(line) - 1)
    padding = 0
    for _ in range(4):  # the stream's /Length grows a digit at most twice
        content = one_page_pdf(content=lines + b"%" + b" " * padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise ValueError(f"no PDF of {size} bytes with this label")


def create_program(code: str = "iec", **overrides: Any) -> Program:
    defaults = {
        "name_en": "International Experience Canada",
        "name_fr": "Expérience internationale Canada",
        "service_standard_days": 56,
        "categories": ["working-holiday", "young-professionals", "international-coop"],
    }
    program, _ = Program.objects.get_or_create(code=code, defaults={**defaults, **overrides})
    return program


def create_office(code: str = "ottawa") -> Office:
    office, _ = Office.objects.get_or_create(
        code=code, defaults={"name_en": f"{code} office", "name_fr": f"Bureau de {code}"}
    )
    return office


def create_user(*roles: Role, username: str | None = None, **fields: Any) -> User:
    username = username or f"person{next(_counter)}-{uuid.uuid4().hex[:6]}"
    return create_person(
        username=username,
        email=fields.pop("email", f"{username}@example.com"),
        password=fields.pop("password", "correct horse battery staple"),
        roles=list(roles) or [Role.APPLICANT],
        **fields,
    )


def create_officer(**fields: Any) -> User:
    return create_user(Role.OFFICER, office=create_office(), **fields)


def application_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "program_code": "iec",
        "category": "working-holiday",
        "given_name": "Amélie",
        "family_name": "Poulain",
        "date_of_birth": date(1998, 2, 28),
        "citizenship": "FR",
        "email": "amelie@example.com",
        "preferred_language": "fr",
        "answers": {"funds_cad": 3000, "job_offer": False},
        "documents": [DocumentUpload("passport", "passport.pdf", MINIMAL_PDF)],
    }
    fields.update(overrides)
    return fields


def api_application(**overrides: Any) -> dict[str, Any]:
    """The JSON body of a valid `POST /api/v1/applications` (an IEC working holiday, no
    documents), with `overrides`."""
    body: dict[str, Any] = {
        "program": "iec",
        "category": "working-holiday",
        "given_name": "Ana",
        "family_name": "Silva",
        "date_of_birth": "1998-02-28",
        "citizenship": "PT",
        "email": "ana@example.com",
        "preferred_language": "en",
        "answers": {"funds_cad": 3000},
        "documents": [],
    }
    body.update(overrides)
    return body


API_APPLICATION = api_application()


def submit_case(
    submitter: User | None = None,
    *,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    **overrides: Any,
) -> Case:
    create_program(overrides.get("program_code", "iec"))
    submission = submit_application(
        submitter=submitter or create_user(Role.APPLICANT),
        idempotency_key=idempotency_key or uuid.uuid4().hex,
        now=now,
        **application_fields(**overrides),
    )
    return submission.case


def give_to(case: Case, officer: User) -> Case:
    """Route the file to the officer (as routing does), so that they may act on it; the
    case as it is then."""
    from passage.cases import services
    from passage.cases.actors import SYSTEM

    return services.assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={},
        idempotency_key=f"give-{officer.pk}-{uuid.uuid4().hex[:8]}",
    ).case


def finish_all_steps(case: Case, actor: Any, state: str = "completed") -> None:
    """Bring every step not yet finished to `state` (completed or exempted) as `actor`."""
    from passage.cases import services
    from passage.cases.status import FINISHED_STEP_STATES, Step

    current = Case.objects.get(pk=case.pk)
    for step in Step:
        if getattr(current, step.value) in FINISHED_STEP_STATES:
            continue
        services.record_step(
            case_id=case.public_id,
            actor=actor,
            step=step,
            state=state,
            idempotency_key=f"finish-{step.value}",
        )


def find_not_eligible(case: Case, officer: User, note: str) -> None:
    """The officer completes the eligibility step finding the file not eligible, saying why."""
    from passage.cases import services
    from passage.cases.status import Step, StepState

    services.record_step(
        case_id=case.public_id,
        actor=officer,
        step=Step.ELIGIBILITY,
        state=StepState.COMPLETED,
        eligible=False,
        note=note,
        idempotency_key="not-eligible",
    )


def refuse(case: Case, officer: User, **arguments: Any) -> Any:
    """The officer refuses the file, with reasons, confirming that the refusal closes the
    document requests still open (`arguments` override the call's)."""
    from passage.cases import services

    return services.record_decision(
        **{
            "case_id": case.public_id,
            "actor": officer,
            "approve": False,
            "reasons": "Funds below the required minimum.",
            "close_open_requests": True,
            "idempotency_key": "refuse",
            **arguments,
        }
    )


def case_in_status(
    status: str, *, officer: User | None = None, submitter: User | None = None
) -> Case:
    """A case brought to `status` through the real services, as in production; from
    triage on, given to `officer` when one is named (a decided case always has its
    officer, who decided it)."""
    from passage.cases import services
    from passage.cases.actors import SYSTEM
    from passage.cases.status import CaseStatus

    case = submit_case(submitter)
    named = officer is not None
    officer = officer or create_officer()
    if status == CaseStatus.RECEIVED:
        return case
    if status == CaseStatus.WITHDRAWN:
        services.withdraw_application(
            case_id=case.public_id, actor=case.application.applicant, idempotency_key="withdraw"
        )
        return Case.objects.get(pk=case.pk)
    services.begin_triage(case_id=case.public_id, actor=SYSTEM, idempotency_key="triage")
    if named:
        give_to(case, officer)
    if status == CaseStatus.TRIAGE:
        return Case.objects.get(pk=case.pk)
    services.begin_review(case_id=case.public_id, actor=SYSTEM, idempotency_key="review")
    if status == CaseStatus.IN_REVIEW:
        return Case.objects.get(pk=case.pk)
    if not named:
        give_to(case, officer)
    if status == CaseStatus.APPROVED:
        finish_all_steps(case, officer)
    services.record_decision(
        case_id=case.public_id,
        actor=officer,
        approve=status == CaseStatus.APPROVED,
        reasons="" if status == CaseStatus.APPROVED else "Funds below the required minimum.",
        idempotency_key="decide",
    )
    return Case.objects.get(pk=case.pk)


def iec_answers(**overrides: Any) -> dict[str, Any]:
    """Answers of an IEC working-holiday application that meets every criterion (with
    `application_fields`' citizen of France born in 1998)."""
    answers: dict[str, Any] = {
        "invitation_date": "2026-01-12",
        "funds_cad": 3000,
        "stay_until": "2027-01-12",
        "insurance_until": "2027-01-31",
        "accompanying_dependants": False,
        "job_offer": False,
        "enrolled_post_secondary": False,
        "previous_participations": 0,
    }
    answers.update(overrides)
    return answers


def run_queued_tasks() -> None:
    """Run every queued background task with the real worker, once, then return."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def without_request_tokens(html: str) -> str:
    """A page's HTML without what differs on every request (the CSRF token, the Content
    Security Policy nonce), to compare two pages that must say the same."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    return re.sub(r'<meta name="csp-nonce" content="[^"]*">', "NONCE", html)


def date_parts(name: str, iso: str) -> dict[str, str]:
    """The day, month and year boxes of a form's date field, filled with `iso`."""
    year, month, day = iso.split("-")
    return {f"{name}_0": str(int(day)), f"{name}_1": str(int(month)), f"{name}_2": year}


def same_page_parts(html: str, *ids: object) -> str:
    """A page without what differs from one request to the next by design: the ids of the
    address asked for, the Content Security Policy's nonce and CSRF tokens. Two answers
    that must not tell a hidden thing from a missing one compare equal on this."""
    for value in ids:
        html = html.replace(str(value), "ID")
    html = re.sub(r'name="csp-nonce" content="[^"]+"', 'name="csp-nonce" content="NONCE"', html)
    return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="CSRF"', html)
