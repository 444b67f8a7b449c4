"""The demo's confirmations of permanent residence: a client at each stage, so that the
pages under `/en/residence/` and the officer's review have something to show.

Four family sponsorships (`data.RESIDENCE`), each approved by the demo officer, invite
the sponsored person, an account of their own, and the children who come with them.
From there, through the real services: Camille has not taken up her invitation (its
link, which `passage load_demo` prints, is the one her email gave); Nino sent his part
for review (the demo officer's queue), his daughter's photo was too dark and his son's
part is only declared; the officer confirmed Karim, whose eCOPR is signed, and returned
his daughter's with a reason; Thandiwe was confirmed months ago and her card ordered in
a batch sent to the card producer.

The applications are the program's own example answers (`questions.yaml`), in the
sponsors' and the sponsored people's names. Every instant falls between the approval
that invited the person and the anchor, each command has a fixed key, and a step is
taken only when the confirmation has not reached it yet, so a second load writes
nothing. The photo is NASA's portrait of the astronaut Eileen Collins (public domain,
from scikit-image's `astronaut` sample) on a plain white wall, as the labelled photos
of the checks are made (`portrait.jpg`); the refused one is the same, darkened.
"""

import hashlib
import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from PIL import Image, ImageEnhance

from passage.accounts.models import User
from passage.cases.actors import SYSTEM
from passage.cases.models import Case
from passage.cases.services import (
    assign_officer,
    begin_review,
    begin_triage,
    record_decision,
    record_step,
    start_work,
)
from passage.cases.status import CaseStatus, Step, StepState
from passage.demo import data
from passage.demo.data import ResidenceData
from passage.demo.pdf import demo_pdf
from passage.demo.people import client_email
from passage.demo.plans import KEY_PREFIX
from passage.intake.catalogue import current_programs
from passage.intake.documents import DocumentUpload
from passage.intake.flows.engine import submission
from passage.intake.models import Program
from passage.intake.services import submit_application
from passage.programs import ProgramBundle
from passage.residence import review, services
from passage.residence.cards import make_batch, mark_sent
from passage.residence.invitation_links import invitation_link_for, invitation_token
from passage.residence.models import CardBatch, Confirmation
from passage.residence.states import ConfirmationState
from passage.triage.services import assess

PROGRAM = "family-sponsor"
# The demo officer approved every one: the files are hers, so she reviews them.
OFFICER = "officer"
CARD_BATCH_KEY = f"{KEY_PREFIX}residence-cards"
PORTRAIT = Path(__file__).with_name("portrait.jpg")
OTTAWA = ZoneInfo("America/Toronto")
# Days from a sponsorship's submission to its approval.
PROCESSING_DAYS = 140

State = ConfirmationState
DECLARED = frozenset(State) - {State.INVITED}
ADDRESSED = DECLARED - {State.IN_PROGRESS}
SENT = ADDRESSED - {State.PHOTO_REJECTED}


def ensure_residence(people: dict[str, User], anchor: datetime) -> None:
    """Take each demo sponsorship to its approval and each of its people to their stage
    (once). Nothing when the family sponsorship is not open or leads to no confirmation."""
    bundle = current_programs().get(PROGRAM)
    residence = bundle.definition.permanent_residence if bundle else None
    if (
        bundle is None
        or bundle.flow is None
        or bundle.flow.example is None
        or residence is None
        or residence.principal is None
        or not Program.objects.filter(code=PROGRAM, is_open=True).exists()
    ):
        return
    stories: list[tuple[ResidenceData, Case]] = []
    for story in data.RESIDENCE:
        with transaction.atomic():
            case = _approved_sponsorship(story, bundle, people, anchor)
        stories.append((story, case))
        _client_part(story, case, people[story.person.username], anchor)
    # The batch of cards went to the card producer before the latest people were
    # confirmed, so that they wait for the next one.
    for story, case in stories:
        _review(story, case, anchor, only={State.CARD_ORDERED})
    _order_cards(stories, anchor)
    for story, case in stories:
        _review(story, case, anchor, only={State.CONFIRMED, State.RETURNED})


def invitation_links() -> dict[str, str]:
    """The link of each demo invitation nobody took up, by the invited person's username:
    the demo's emails belong to its past and are never sent, so `passage load_demo` prints
    the link instead."""
    links = {}
    for story in data.RESIDENCE:
        principal = Confirmation.objects.filter(
            case__application__idempotency_key=_key(story), position=0, client__isnull=True
        ).first()
        if principal is not None:
            parts = [str(principal.public_id)]
            links[story.person.username] = invitation_link_for(parts, story.person.language)
    return links


def _key(story: ResidenceData) -> str:
    """The key of the sponsorship's application, which the keys of its commands extend."""
    return f"{KEY_PREFIX}residence-{story.person.username}"


def _moment(anchor: datetime, days_ago: int, hour: int, minute: int = 0) -> datetime:
    """The time of day in Ottawa, `days_ago` days before the anchor's day."""
    day = (anchor - timedelta(days=days_ago)).astimezone(OTTAWA).date()
    return datetime.combine(day, time(hour, minute), tzinfo=OTTAWA)


def _every(start: datetime, minutes: int) -> Iterator[datetime]:
    """`start`, then one instant every `minutes`: a person's actions in one sitting."""
    at = start
    while True:
        yield at
        at += timedelta(minutes=minutes)


def _number(text: str, digits: int) -> int:
    """A number of `digits` digits drawn from `text`: the same for the same text."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 10**digits


def _birth_date(anchor: datetime, age: int, name: str) -> date:
    """A birthday that makes the person `age` on the anchor day."""
    return anchor.date() - timedelta(days=age * 365 + age // 4 + 10 + _number(name, 6) % 340)


# --- The sponsorship, approved ------------------------------------------------------------


def _approved_sponsorship(
    story: ResidenceData, bundle: ProgramBundle, people: dict[str, User], anchor: datetime
) -> Case:
    """The sponsor's application, submitted through the portal's own answers, triaged,
    reviewed and approved by the demo officer: the approval invites its people."""
    key = _key(story)
    approved = _moment(anchor, story.approved_days_ago, 14, 20)
    submitted = _moment(anchor, story.approved_days_ago + PROCESSING_DAYS, 20, 15)
    sponsor = next(client for client in data.APPLICANTS if client.username == story.sponsor)
    fields, answers = _application(story, bundle, anchor, submitted.date())
    item = next((i for i in bundle.documents if i.required), bundle.documents[0])
    document = DocumentUpload(
        kind=item.kind,
        filename=f"{item.kind}.pdf",
        content=demo_pdf(
            [
                "Passage demonstration document - not a real document",
                f"{item.name_en}: {sponsor.given_name} {sponsor.family_name}",
                f"Demo application {key}",
            ]
        ),
    )
    case = submit_application(
        submitter=people[story.sponsor],
        program_code=bundle.code,
        answers=answers,
        documents=[document],
        idempotency_key=key,
        now=submitted,
        **fields,
    ).case
    if case.status == CaseStatus.APPROVED:
        return case
    officer = people[OFFICER]
    french = sponsor.language == "fr"
    triaged = submitted + timedelta(minutes=12)
    triage = begin_triage(
        case_id=case.public_id, actor=SYSTEM, idempotency_key=f"{key}-triage", now=triaged
    )
    # The rules' own assessment, as the triage job records it.
    assess(
        case=triage.case,
        now=triaged + timedelta(milliseconds=1),
        complete_eligibility=False,
        sample=False,
    )
    # The sponsor's part needs no medical exam or biometrics.
    for number, step in enumerate((Step.MEDICAL, Step.BIOMETRICS), start=1):
        record_step(
            case_id=case.public_id,
            actor=SYSTEM,
            step=step,
            state=StepState.EXEMPTED,
            note=data.EXEMPTION_NOTES[step.value][french],
            idempotency_key=f"{key}-exempt-{step.value}",
            now=triaged + timedelta(minutes=number),
        )
    reviewed = _moment(anchor, story.approved_days_ago + PROCESSING_DAYS - 30, 10, 5)
    assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={"how": "demo"},
        idempotency_key=f"{key}-route",
        now=reviewed - timedelta(minutes=1),
    )
    begin_review(
        case_id=case.public_id, actor=officer, idempotency_key=f"{key}-review", now=reviewed
    )
    # The officer who opened the review holds the file, so routing leaves it.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    start_work(
        case=locked,
        officer=officer,
        idempotency_key=f"{key}-start",
        reasons={"how": "demo"},
        now=reviewed + timedelta(minutes=1),
    )
    steps = (
        (Step.ELIGIBILITY, StepState.IN_PROGRESS, 0),
        (Step.ELIGIBILITY, StepState.COMPLETED, 25),
        (Step.BACKGROUND, StepState.IN_PROGRESS, 25),
        (Step.BACKGROUND, StepState.COMPLETED, 80),
    )
    for number, (step, state, days) in enumerate(steps, start=1):
        record_step(
            case_id=case.public_id,
            actor=officer,
            step=step,
            state=state,
            note=data.STEP_NOTES[(step.value, state.value)][french],
            idempotency_key=f"{key}-step-{number}",
            now=reviewed + timedelta(days=days, minutes=10 * number),
        )
    return record_decision(
        case_id=case.public_id,
        actor=officer,
        approve=True,
        reasons="",
        legal_grounds=[],
        idempotency_key=f"{key}-approve",
        now=approved,
    ).case


def _application(
    story: ResidenceData, bundle: ProgramBundle, anchor: datetime, day: date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The typed fields and the answers the portal stores for the sponsor's application:
    the program's example answers, in the sponsor's and the sponsored people's names."""
    flow, residence = bundle.flow, bundle.definition.permanent_residence
    assert flow is not None
    assert flow.example is not None
    assert residence is not None
    assert residence.principal is not None
    sponsor = next(client for client in data.APPLICANTS if client.username == story.sponsor)
    person, principal = story.person, residence.principal
    answers = flow.example.answers_copy()
    answers.update(
        {
            "category": story.category,
            "given_name": sponsor.given_name,
            "family_name": sponsor.family_name,
            "date_of_birth": _birth_date(anchor, sponsor.age, sponsor.username).isoformat(),
            "citizenship": sponsor.citizenship,
            "email": client_email(sponsor),
            "preferred_language": sponsor.language,
            principal.given_names: person.given_name,
            principal.family_name: person.family_name,
            principal.date_of_birth: _birth_date(anchor, person.age, person.username).isoformat(),
            principal.email: client_email(person),
            principal.in_canada: True,
        }
    )
    if residence.dependants:
        answers["has_dependent_children"] = bool(story.children)
        answers[residence.dependants] = [
            {
                "given_name": child.given_name,
                "family_name": person.family_name,
                "date_of_birth": _birth_date(anchor, child.age, child.given_name).isoformat(),
                "relationship": "biological",
            }
            for child in story.children
        ]
    submitted = submission(flow, answers, submitted_on=day)
    return submitted.fields, submitted.answers


# --- The client's part --------------------------------------------------------------------


@cache
def portrait() -> bytes:
    """A passport-style photo the checks accept."""
    return PORTRAIT.read_bytes()


@cache
def dark_portrait() -> bytes:
    """The same photo taken in a dim room: the checks find it too dark, its wall grey."""
    out = io.BytesIO()
    with Image.open(io.BytesIO(portrait())) as picture:
        ImageEnhance.Brightness(picture).enhance(0.4).save(out, "JPEG", quality=85)
    return out.getvalue()


def _client_part(story: ResidenceData, case: Case, person: User, anchor: datetime) -> None:
    """The sponsored person takes up the invitation and does, for themselves and then
    for each child, what their stage needs, in one sitting; each step once."""
    stages = [State(stage) for stage in story.stages]
    if story.client_days_ago is None or all(stage == State.INVITED for stage in stages):
        return
    rows = list(Confirmation.objects.filter(case=case).order_by("position"))
    moments = _every(_moment(anchor, story.client_days_ago, 19, 5), minutes=3)
    next(moments)  # the invitation's link, followed from the email
    principal = rows[0]
    if principal.client_id is None:
        services.take_up_invitation(
            person=person, invitation_id=principal.public_id, token=invitation_token(principal)
        )
    street, city, province, postal_code = story.home
    for row, stage in zip(rows, stages, strict=True):
        key = f"{KEY_PREFIX}{case.reference}-residence-{row.position}"
        child = story.children[row.position - 1] if row.position else None
        declared_in = child.declared_in if child and child.declared_in else (city, province)
        declared, addressed, photographed, sent = (next(moments) for _ in range(4))
        if stage in DECLARED and row.presence_declared_at is None:
            services.declare_presence(
                person=person,
                confirmation_id=row.public_id,
                in_canada=True,
                city=declared_in[0],
                province=declared_in[1],
                idempotency_key=f"{key}-declare",
                now=declared,
            )
        if stage in ADDRESSED and row.address_given_at is None:
            services.give_address(
                person=person,
                confirmation_id=row.public_id,
                address=services.Address(street, city, province, postal_code),
                idempotency_key=f"{key}-address",
                now=addressed,
            )
        if stage in ADDRESSED and row.photo_id is None:
            services.upload_photo(
                person=person,
                confirmation_id=row.public_id,
                filename="photo.jpg",
                content=dark_portrait() if stage == State.PHOTO_REJECTED else portrait(),
                idempotency_key=f"{key}-photo",
                now=photographed,
            )
        if stage in SENT and row.submitted_at is None:
            services.submit_for_review(
                person=person,
                confirmation_id=row.public_id,
                idempotency_key=f"{key}-send",
                now=sent,
            )


# --- The officer's part and the cards -----------------------------------------------------


def _review(story: ResidenceData, case: Case, anchor: datetime, *, only: set[State]) -> None:
    """The officer confirms or returns the confirmations whose stage is in `only` and
    that still wait for review, one after the other."""
    if story.officer_days_ago is None:
        return
    officer = case.assigned_to
    assert officer is not None
    moments = _every(_moment(anchor, story.officer_days_ago, 10, 15), minutes=7)
    rows = Confirmation.objects.filter(case=case).order_by("position")
    for row, stage, at in zip(rows, map(State, story.stages), moments, strict=False):
        if stage not in only or row.state != State.READY_FOR_REVIEW:
            continue
        key = f"{KEY_PREFIX}{case.reference}-residence-{row.position}"
        if stage == State.RETURNED:
            review.return_to_client(
                officer=officer,
                confirmation_id=row.public_id,
                reason=story.returned_reason[story.person.language == "fr"],
                photo_rejected=False,
                idempotency_key=f"{key}-return",
                now=at,
            )
        else:
            review.confirm_residence(
                officer=officer,
                confirmation_id=row.public_id,
                details=_details(story, row, anchor),
                idempotency_key=f"{key}-confirm",
                now=at,
            )


def _details(story: ResidenceData, row: Confirmation, anchor: datetime) -> review.CoprDetails:
    """What the officer read on the person's passport and in the application."""
    child = story.children[row.position - 1] if row.position else None
    country = story.person.citizenship
    name = f"{row.given_names} {row.family_name}"
    return review.CoprDetails(
        uci=review.generated_uci(row),
        place_of_birth=child.place_of_birth if child else story.place_of_birth,
        country_of_birth=country,
        sex=child.sex if child else story.sex,
        citizenship=country,
        travel_document_number=f"{country}{_number(name, 7):07d}",
        travel_document_country=country,
        travel_document_expiry=anchor.date() + timedelta(days=700 + _number(name, 4) % 1000),
    )


def _order_cards(stories: list[tuple[ResidenceData, Case]], anchor: datetime) -> None:
    """The confirmed people whose stage is a card ordered go in one batch, sent to the
    card producer a few days after the last of them was confirmed."""
    days = [
        story.officer_days_ago
        for story, _case in stories
        if story.officer_days_ago is not None and State.CARD_ORDERED in story.stages
    ]
    sent = CardBatch.objects.filter(idempotency_key=CARD_BATCH_KEY, sent_at__isnull=False)
    if not days or sent.exists():
        return
    made = _moment(anchor, min(days) - 3, 9, 30)
    batch = make_batch(by=None, idempotency_key=CARD_BATCH_KEY, now=made)
    mark_sent(
        batch=batch,
        by=None,
        idempotency_key=f"{CARD_BATCH_KEY}-sent",
        now=made + timedelta(days=1, hours=2),
    )
