"""Paper forms at intake: a scan received, read and kept; then filed as an application.

A scan is kept whatever reading gives: read whole, the clerk confirms the application
filled in from the symbols; with a symbol missing or damaged, nothing is guessed and the
clerk keys the form from its printed words. Either way the case is filed on the day the
form was received, with the scan as a document of the case, and the client gets a
receipt by email, or on paper when the form gives no address."""

import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from passage import clock, idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.continuity.models import Component, Outage
from passage.errors import Conflict, NotFound
from passage.intake.documents import (
    DocumentUpload,
    check_document,
    read_whole,
    stored_for_request,
)
from passage.intake.paper import PAPER_FORM_DOCUMENT, submit_paper_application
from passage.languages import written_date
from passage.outbox.links import sign_in_url
from passage.outbox.services import queue_email
from passage.paper import reading, symbols
from passage.paper.document import DocumentError, FormDefinition, application_of
from passage.paper.document import check_document as check_form
from passage.paperforms.catalogue import definition_for
from passage.paperforms.models import PaperScan

# What a client who could not apply online needed: one of these down on the day.
FILING_COMPONENTS = (Component.INTAKE, Component.SIGN_IN, Component.UPLOADS)
# A form received longer ago than this is a typing mistake in the date, not a late scan.
OLDEST_RECEIPT = datetime.timedelta(days=366)


class ScanNotFound(NotFound):
    """No scan by that id."""


def may_handle_paper(person: User) -> bool:
    """Intake staff: officers and supervisors."""
    return person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)


def _check_clerk(person: User) -> None:
    if not may_handle_paper(person):
        raise NotPermitted(_("Only intake staff can receive paper forms."))


def receive_scan(
    *,
    clerk: User,
    filename: str,
    content: bytes,
    received_on: datetime.date,
    received_by: str,
    idempotency_key: str,
    now: datetime.datetime | None = None,
) -> PaperScan:
    """Keep a scan of a paper form and what reading it gives: every symbol on every page
    decoded, the CRC and the document checked. A file that is not a PDF, PNG or JPEG, or
    a receipt day in the future, is an InvalidRequest and keeps nothing; a form that
    cannot be read whole is kept with its problems. The same key returns the first scan."""
    _check_clerk(clerk)
    at = now or clock.now()
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    earlier = PaperScan.objects.filter(uploaded_by=clerk, idempotency_key=idempotency_key).first()
    upload = DocumentUpload(PAPER_FORM_DOCUMENT, filename or "scan", content)
    checked = check_document(upload)
    if earlier is not None:
        if isinstance(checked, str) or earlier.sha256 != checked.sha256:
            raise IdempotencyConflict(_("This idempotency key was already used for another scan."))
        return earlier
    if isinstance(checked, str):
        raise InvalidRequest(_("The scan could not be accepted."), errors={"scan": checked})
    errors = _receipt_day_errors(received_on, at)
    if received_by not in PaperScan.ReceivedBy.values:
        errors["received_by"] = _("Choose how the form was received.")
    if errors:
        raise InvalidRequest(_("The scan could not be accepted."), errors=errors)
    outcome = _read(content)
    with stored_for_request([checked]) as stored, transaction.atomic():
        _document, key = stored[0]
        return PaperScan.objects.create(
            **checked.stored_as(key),
            state=PaperScan.State.READ if outcome.document else PaperScan.State.INCOMPLETE,
            received_on=received_on,
            received_by=received_by,
            uploaded_by=clerk,
            uploaded_at=at,
            idempotency_key=idempotency_key,
            form_code=outcome.form_code,
            document=outcome.document,
            problems=outcome.problems,
            pages=outcome.pages,
            symbols_found=outcome.symbols,
            outages=outages_on(received_on),
        )


def _receipt_day_errors(day: datetime.date, at: datetime.datetime) -> dict[str, str]:
    today = at.astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)).date()
    if day > today:
        return {"received_on": _("The day the form was received cannot be in the future.")}
    if today - day > OLDEST_RECEIPT:
        return {"received_on": _("The day the form was received is more than a year ago.")}
    return {}


class _Outcome:
    def __init__(self) -> None:
        self.document: dict[str, Any] | None = None
        self.form_code = ""
        self.problems: list[str] = []
        self.pages = 0
        self.symbols = 0


def _read(content: bytes) -> _Outcome:
    """What the scan says: the document when it is read whole and valid, else each
    problem in words. Nothing is guessed around a missing or damaged symbol."""
    outcome = _Outcome()
    try:
        scan = reading.read_scan(content)
    except reading.ScanError as error:
        outcome.problems = [str(error)]
        return outcome
    outcome.pages = len(scan.pages)
    texts = [text for text in scan.texts if text.startswith(f"{symbols.FORMAT}:")]
    outcome.symbols = len(texts)
    if texts:
        outcome.form_code = texts[0].split(":")[1][:40]
    try:
        code, document = symbols.decode(texts)
    except symbols.PayloadError as error:
        outcome.problems = [str(error)]
        return outcome
    definition = definition_for(code)
    if definition is None:
        outcome.problems = [f"unknown form {code!r}"]
        return outcome
    try:
        outcome.document = check_form(definition, document)
    except DocumentError as error:
        outcome.problems = error.problems
    return outcome


def outages_on(day: datetime.date) -> list[str]:
    """The outages of the register (withdrawn ones aside) that kept clients from filing
    online at some time of `day`, in the department's time zone."""
    zone = ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    found = Outage.objects.filter(withdrawn_at__isnull=True, starts_at__lt=end).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=start)
    )
    # The components are a JSON list, which SQLite cannot search: a day has few outages.
    filing = {component.value for component in FILING_COMPONENTS}
    return sorted(outage.reference for outage in found if filing & set(outage.components))


def _locked(scan_id: UUID) -> PaperScan:
    scan = PaperScan.objects.select_for_update().filter(public_id=scan_id).first()
    if scan is None:
        raise ScanNotFound(_("This paper form was not found."))
    return scan


def file_scan(
    *,
    clerk: User,
    scan_id: UUID,
    idempotency_key: str,
    keyed: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """File the application a scan carries, as read (`keyed=None`) or as the clerk keyed
    it from the printed words (`keyed`: the form's document, without `printed_at`).

    The case is filed on the day the form was received, with the scan as its document;
    the client's receipt is queued by email when the form gives an address, else the
    clerk prints it. Filing twice with the same key returns the case; a filed scan is
    not filed again."""
    _check_clerk(clerk)
    at = now or clock.now()
    with transaction.atomic():
        scan = _locked(scan_id)
        if scan.state == PaperScan.State.FILED and scan.case is not None:
            return scan.case
        if scan.state == PaperScan.State.SET_ASIDE:
            raise Conflict(_("This scan was set aside; it cannot be filed."))
        definition, document = _document_to_file(scan, keyed)
        application = application_of(definition, document)
        content = read_whole(scan.storage_key, scan.sha256)
        if content is None:
            raise Conflict(_("The scan's file is missing from storage; upload it again."))
        submission = submit_paper_application(
            clerk=clerk,
            program_code=definition.flow.program,
            fields=application.fields,
            answers=application.answers,
            scan=DocumentUpload(PAPER_FORM_DOCUMENT, scan.filename, content),
            received_at=received_instant(scan.received_on),
            event_details={
                "received_on": scan.received_on.isoformat(),
                "received_by": scan.received_by,
                "keyed_by_hand": keyed is not None,
                "outages": scan.outages,
                "keyed_at": at.isoformat(),
            },
            idempotency_key=idempotency_key,
        )
        case = submission.case
        scan.state = PaperScan.State.FILED
        scan.case = case
        scan.filed_at = at
        scan.filed_by = clerk
        scan.form_code = definition.code
        if keyed is not None:
            scan.document = document
        scan.receipt = "email" if application.fields["email"] else "paper"
        scan.version += 1
        scan.save()
        if application.fields["email"]:
            _email_receipt(case, application.fields, scan.received_on, at)
        return case


def _document_to_file(
    scan: PaperScan, keyed: dict[str, Any] | None
) -> tuple[FormDefinition, dict[str, Any]]:
    if keyed is None:
        if scan.document is None:
            raise Conflict(_("This form was not read whole: key it in from its printed words."))
        definition = definition_for(scan.form_code)
        document = scan.document
    else:
        definition = definition_for(str(keyed.get("form", "")))
        document = keyed
    if definition is None:
        raise InvalidRequest(_("This form is not one Passage knows."))
    try:
        return definition, check_form(definition, document, printed=keyed is None)
    except DocumentError as error:
        raise InvalidRequest(
            _("The form has errors."), errors={"document": "; ".join(error.problems)}
        ) from None


def received_instant(day: datetime.date) -> datetime.datetime:
    """The time a form received on `day` is filed at: noon in the department's zone, so
    that the day reads the same wherever it is shown."""
    zone = ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=zone)


def _email_receipt(
    case: Case, fields: dict[str, Any], received_on: datetime.date, at: datetime.datetime
) -> None:
    language = fields["preferred_language"]
    queue_email(
        kind="application.received",
        case=case,
        to_email=fields["email"],
        language=language,
        template="paper_received",
        context={
            "reference": case.reference,
            "received_at": written_date(received_on, language),
            "link": sign_in_url(language=language),
        },
        now=at,
    )


def set_aside(*, clerk: User, scan_id: UUID, idempotency_key: str) -> PaperScan:
    """Set a scan aside (a duplicate, or not a form): it files nothing and stays on
    record. Setting aside again does nothing; a filed scan cannot be set aside."""
    _check_clerk(clerk)
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    with transaction.atomic():
        scan = _locked(scan_id)
        if scan.state == PaperScan.State.FILED:
            raise Conflict(_("This scan is filed; it cannot be set aside."))
        if scan.state != PaperScan.State.SET_ASIDE:
            scan.state = PaperScan.State.SET_ASIDE
            scan.version += 1
            scan.save(update_fields=["state", "version"])
        return scan
