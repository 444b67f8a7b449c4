"""Linking a case to an account with the application number, the date of birth and a
code emailed to the address on file: nothing tells which detail was wrong."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client

from passage import clock
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest
from passage.cases.models import CaseEvent, CaseParty
from passage.cases.selectors import cases_visible_to
from passage.cases.status import EventKind, PartyRole
from passage.intake.catalogue import load_programs
from passage.intake.representation import authorise_representative, revoke_representation
from passage.outbox.delivery import build_message, deliver_due_emails
from passage.outbox.models import OutboxMessage
from passage.tracker.linking import TooManyRequests, redeem_code, request_code
from passage.tracker.models import LinkRequest
from tests.builders import create_user, date_parts, submit_case, without_request_tokens
from tests.outbox.outbox import raw_outbox_text

pytestmark = pytest.mark.django_db

BORN = date(1998, 2, 28)
WRONG_CODE_MESSAGE = "This code does not work. Check it, or ask for a new code."


def code_in(text: str) -> str:
    """The code on a line of its own in a link email."""
    return re.search(r"^\s*(\d{6})\s*$", text, re.M).group(1)


def emailed_code(case) -> str:
    """The code in the latest link email of the case, built as when it is sent."""
    message = OutboxMessage.objects.filter(case=case, template="link_code").latest("id")
    return code_in(build_message(message).body)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def error_of(call) -> tuple[type, str, dict]:
    with pytest.raises(InvalidRequest) as caught:
        call()
    return type(caught.value), caught.value.message, caught.value.details


def test_the_code_goes_to_the_address_on_file_in_the_applications_language_and_links_the_case():
    case = submit_case(email="Amelie@Example.com", preferred_language="fr")
    person = create_user(email="someone-else@example.com")
    now = clock.now()

    link = request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)

    message = OutboxMessage.objects.get(case=case, template="link_code")
    assert message.to_email == "Amelie@Example.com"
    assert message.language == "fr"
    assert message.context == {"secret": f"link_code:{link.public_id}", "minutes": 10}
    linked = redeem_code(person=person, request_id=link.public_id, code=emailed_code(case), now=now)
    assert linked.case == case
    assert linked.already is False
    assert CaseParty.objects.filter(
        case=case, person=person, role=PartyRole.APPLICANT, revoked_at__isnull=True
    ).exists()
    granted = CaseEvent.objects.filter(case=case, kind=EventKind.ACCESS_GRANTED).get()
    assert granted.payload["by"] == "code"
    assert granted.payload["person"] == person.pk


def test_an_english_application_gets_the_code_in_english():
    case = submit_case(preferred_language="en")

    request_code(person=create_user(), reference=case.reference, date_of_birth=BORN)

    assert OutboxMessage.objects.get(case=case, template="link_code").language == "en"


def test_the_reference_may_be_typed_in_lower_case_with_spaces():
    case = submit_case()
    spaced = " ".join([case.reference[:4].lower(), case.reference[4:]])

    request_code(person=create_user(), reference=spaced, date_of_birth=BORN)

    assert OutboxMessage.objects.filter(case=case, template="link_code").count() == 1


def test_a_code_works_once():
    case = submit_case()
    person = create_user()
    link = request_code(person=person, reference=case.reference, date_of_birth=BORN)
    code = emailed_code(case)
    redeem_code(person=person, request_id=link.public_id, code=code)

    used = error_of(lambda: redeem_code(person=person, request_id=link.public_id, code=code))

    assert used == (InvalidRequest, WRONG_CODE_MESSAGE, {"errors": {"code": WRONG_CODE_MESSAGE}})


def test_wrong_expired_exhausted_used_and_unmatched_codes_all_give_the_same_error():
    now = clock.now()
    case = submit_case()
    person = create_user()

    def fresh_link():
        link = request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)
        return link, emailed_code(case)

    errors = {}
    link, code = fresh_link()
    errors["wrong"] = error_of(
        lambda: redeem_code(person=person, request_id=link.public_id, code=other_code(code))
    )
    errors["expired"] = error_of(
        lambda: redeem_code(
            person=person,
            request_id=link.public_id,
            code=code,
            now=now + timedelta(minutes=10),
        )
    )
    link, code = fresh_link()
    for _ in range(5):
        error_of(
            lambda: redeem_code(
                person=person, request_id=link.public_id, code=other_code(code), now=now
            )
        )
    errors["sixth try"] = error_of(
        lambda: redeem_code(person=person, request_id=link.public_id, code=code, now=now)
    )
    link, code = fresh_link()
    redeem_code(person=person, request_id=link.public_id, code=code, now=now)
    errors["used"] = error_of(
        lambda: redeem_code(person=person, request_id=link.public_id, code=code, now=now)
    )
    unmatched = request_code(
        person=person, reference=case.reference, date_of_birth=date(1998, 3, 1), now=now
    )
    errors["unmatched"] = error_of(
        lambda: redeem_code(person=person, request_id=unmatched.public_id, code=code, now=now)
    )
    errors["someone else's request"] = error_of(
        lambda: redeem_code(person=create_user(), request_id=link.public_id, code=code, now=now)
    )
    errors["unknown request"] = error_of(
        lambda: redeem_code(person=person, request_id=uuid.uuid4(), code=code, now=now)
    )

    expected = (InvalidRequest, WRONG_CODE_MESSAGE, {"errors": {"code": WRONG_CODE_MESSAGE}})
    assert errors == dict.fromkeys(errors, expected)


def test_a_code_still_works_just_before_it_expires_and_on_the_fifth_try():
    now = clock.now()
    case = submit_case()
    person = create_user()
    link = request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)
    code = emailed_code(case)
    for _ in range(4):
        error_of(
            lambda: redeem_code(
                person=person, request_id=link.public_id, code=other_code(code), now=now
            )
        )

    linked = redeem_code(
        person=person,
        request_id=link.public_id,
        code=code,
        now=now + timedelta(minutes=10) - timedelta(seconds=1),
    )

    assert linked.case == case


def test_wrong_tries_are_counted_even_though_the_answer_is_an_error():
    case = submit_case()
    person = create_user()
    link = request_code(person=person, reference=case.reference, date_of_birth=BORN)
    code = emailed_code(case)

    error_of(lambda: redeem_code(person=person, request_id=link.public_id, code=other_code(code)))

    assert LinkRequest.objects.get(pk=link.pk).tries == 1


def test_unmatched_details_send_nothing_and_answer_like_matching_ones():
    case = submit_case()
    person = create_user()

    matched = request_code(person=person, reference=case.reference, date_of_birth=BORN)
    wrong_birth = request_code(
        person=person, reference=case.reference, date_of_birth=date(1990, 1, 1)
    )
    wrong_reference = request_code(person=person, reference="P000000000000001", date_of_birth=BORN)

    assert OutboxMessage.objects.filter(template="link_code").count() == 1
    # Each attempt gets its own request to go on with, matched or not.
    links = (matched, wrong_birth, wrong_reference)
    assert len({link.public_id for link in links}) == 3
    assert LinkRequest.objects.filter(public_id__in=[link.public_id for link in links]).count() == 3
    assert wrong_birth.case_id is None
    assert wrong_reference.case_id is None


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_first_step_answers_the_same_page_for_matching_and_unmatched_details():
    case = submit_case()
    client = signed_in(create_user())
    uuid_pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    answers = []
    for reference, born in (
        (case.reference, "1998-02-28"),
        (case.reference, "1990-01-01"),
        ("P000000000000001", "1998-02-28"),
    ):
        response = client.post(
            "/en/cases/link/", {"reference": reference, **date_parts("date_of_birth", born)}
        )
        assert response.status_code == 302
        assert re.fullmatch(rf"/en/cases/link/{uuid_pattern}/", response["Location"])
        page = client.get(response["Location"])
        request_id = response["Location"].split("/")[-2]
        html = page.content.decode().replace(request_id, "REQUEST")
        answers.append(without_request_tokens(html))

    assert answers[0] == answers[1] == answers[2]
    assert case.reference not in answers[0]
    assert "amelie" not in answers[0].lower()
    assert "Poulain" not in answers[0]


def test_a_case_gets_no_more_codes_within_an_hour_and_the_answer_does_not_say_so(settings):
    now = clock.now()
    case = submit_case()
    for _ in range(settings.PASSAGE_LINK_CODES_PER_CASE):
        request_code(person=create_user(), reference=case.reference, date_of_birth=BORN, now=now)

    # The same answer as for details that match nothing: a guessed date of birth is
    # not confirmed by the limit.
    limited = request_code(
        person=create_user(), reference=case.reference, date_of_birth=BORN, now=now
    )
    assert limited.case is None
    assert OutboxMessage.objects.filter(case=case, template="link_code").count() == 3

    later = now + timedelta(hours=1, seconds=1)
    request_code(person=create_user(), reference=case.reference, date_of_birth=BORN, now=later)
    assert OutboxMessage.objects.filter(case=case, template="link_code").count() == 4


def test_an_address_gets_no_more_codes_within_an_hour(settings):
    now = clock.now()
    cases = [submit_case(email="family@example.com") for _ in range(6)]
    person = create_user()
    for case in cases[:5]:
        request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)

    limited = request_code(person=person, reference=cases[5].reference, date_of_birth=BORN, now=now)

    assert limited.case is None
    assert not OutboxMessage.objects.filter(case=cases[5], template="link_code").exists()


def test_too_many_requests_by_one_person_within_an_hour_are_refused_even_unmatched():
    now = clock.now()
    case = submit_case()
    person = create_user()
    for day in range(1, 11):
        request_code(
            person=person, reference=case.reference, date_of_birth=date(1990, 1, day), now=now
        )

    with pytest.raises(TooManyRequests) as caught:
        request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)

    assert caught.value.http_status == 429
    assert not OutboxMessage.objects.filter(template="link_code").exists()
    request_code(person=create_user(), reference=case.reference, date_of_birth=BORN, now=now)


def test_linking_a_case_one_can_already_see_is_harmless():
    case = submit_case()
    applicant = case.application.applicant
    events_before = CaseEvent.objects.filter(case=case).count()

    link = request_code(person=applicant, reference=case.reference, date_of_birth=BORN)
    linked = redeem_code(person=applicant, request_id=link.public_id, code=emailed_code(case))

    assert linked.already is True
    assert CaseParty.objects.filter(case=case, person=applicant).count() == 1
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_linking_twice_keeps_one_party():
    case = submit_case()
    person = create_user()
    for _ in range(2):
        link = request_code(person=person, reference=case.reference, date_of_birth=BORN)
        redeem_code(person=person, request_id=link.public_id, code=emailed_code(case))

    assert CaseParty.objects.filter(case=case, person=person, revoked_at__isnull=True).count() == 1


def test_a_linked_person_sees_the_case_and_nobody_else_does():
    case = submit_case()
    person = create_user()
    bystander = create_user()
    assert case not in cases_visible_to(person)

    link = request_code(person=person, reference=case.reference, date_of_birth=BORN)
    redeem_code(person=person, request_id=link.public_id, code=emailed_code(case))

    assert list(cases_visible_to(person)) == [case]
    assert case not in cases_visible_to(bystander)


def test_the_code_arrives_by_smtp_with_nothing_of_the_case_and_works_once(smtp_server):
    case = submit_case(email="amelie@example.com", preferred_language="fr")
    person = create_user()
    request = request_code(person=person, reference=case.reference, date_of_birth=BORN)

    deliver_due_emails(now=clock.now())

    [email] = [r for r in smtp_server.inbox.received if re.search(r"^\s*\d{6}\s*$", r.body, re.M)]
    assert email.recipients == ["amelie@example.com"]
    assert case.reference not in email.body
    assert "Poulain" not in email.body
    code = code_in(email.body)
    redeem_code(person=person, request_id=request.public_id, code=code)
    assert cases_visible_to(person).filter(pk=case.pk).exists()
    with pytest.raises(InvalidRequest):
        redeem_code(person=person, request_id=request.public_id, code=code)


def test_a_revoked_representative_cannot_get_the_case_back_with_the_code():
    # The representative filed with their own address, as representatives often do.
    client_person = create_user(Role.APPLICANT)
    representative = create_user(Role.REPRESENTATIVE, email="counsel@example.com")
    authorised = authorise_representative(client=client_person, email="counsel@example.com")
    case = submit_case(submitter=client_person, email="counsel@example.com")
    revoke_representation(client=client_person, representation_id=authorised.pk)

    request = request_code(person=representative, reference=case.reference, date_of_birth=BORN)
    code = emailed_code(case)

    assert (
        error_of(
            lambda: redeem_code(person=representative, request_id=request.public_id, code=code)
        )[1]
        == WRONG_CODE_MESSAGE
    )
    assert not cases_visible_to(representative).filter(pk=case.pk).exists()


def test_whoever_links_a_sponsorship_sees_it_as_its_sponsor():
    load_programs()
    case = submit_case(program_code="family-sponsor", category="spouse")
    person = create_user()
    request = request_code(person=person, reference=case.reference, date_of_birth=BORN)

    redeem_code(person=person, request_id=request.public_id, code=emailed_code(case))

    party = CaseParty.objects.get(case=case, person=person)
    assert party.role == PartyRole.SPONSOR


def test_the_outbox_keeps_no_link_code_yet_the_delivered_code_links_the_case(smtp_server):
    # Whole seconds: no stored timestamp has six digits of its own to mistake for a code.
    now = clock.now().replace(microsecond=0)
    case = submit_case(email="amelie@example.com", now=now)
    person = create_user()
    request = request_code(person=person, reference=case.reference, date_of_birth=BORN, now=now)

    deliver_due_emails(now=now)

    [email] = [r for r in smtp_server.inbox.received if re.search(r"^\s*\d{6}\s*$", r.body, re.M)]
    code = code_in(email.body)
    alone = re.compile(rf"(?<!\d){code}(?!\d)")
    assert not alone.search(raw_outbox_text())
    assert not alone.search(str(LinkRequest.objects.filter(pk=request.pk).values().get()))
    redeem_code(person=person, request_id=request.public_id, code=code, now=now)
    assert cases_visible_to(person).filter(pk=case.pk).exists()


def test_a_code_email_whose_request_is_gone_fails_alone(smtp_server):
    now = clock.now()
    case = submit_case(email="amelie@example.com", now=now)
    request = request_code(
        person=create_user(), reference=case.reference, date_of_birth=BORN, now=now
    )
    LinkRequest.objects.filter(pk=request.pk).delete()

    deliver_due_emails(now=now)

    failed = OutboxMessage.objects.get(template="link_code")
    assert failed.status == "failed"
    assert "no longer exists" in failed.last_error
    assert OutboxMessage.objects.filter(template="application_received", status="sent").exists()
