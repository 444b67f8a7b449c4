"""The access matrix: every person by every URL and API route that names a case, a
conversation, a file, a draft, a link request or an authorisation, with each method it
answers, in English and French, against what docs/architecture.md ("Who sees what",
conflicts of interest) says each person gets. The tables below are the expectations,
written from the rules, one line per URL and method, one cell per person (the people are
described in `tests/security/matrix.py`, `PEOPLE` and `API_PEOPLE`).

Words in the cells: a status code; `sign-in`, `mfa` and `admin-login` for a redirect to
the sign-in page, to the second factor, and to the admin's own sign-in; `302` for a
redirect to the page `REDIRECTS` names for the line (where a form that did what it was
sent for leads), and no other. Where more than one outcome is right, they are joined by
`|`. A server error would show as `raised:<exception>`.

Every request runs in a savepoint rolled back after it: a POST that succeeds (a refusal, a
conflict declared, a draft submitted) changes nothing for the next cell. Forms are sent
valid, each with a fresh idempotency key, by Django's test client (which does not enforce
CSRF); the cases of a sponsor, a representative and a revoked representative are real
parties made by the services.

`test_every_case_bearing_url_is_in_the_matrix` walks the URL map and the API's routes and
fails, naming it, on any URL with such an id that is not a line of a table."""

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, path, reverse
from django.utils import translation

from passage import clock
from passage.api.urls import api
from passage.cases.status import Step
from passage.intake import drafts
from passage.intake.models import Document
from passage.residence.invitation_links import invitation_token
from passage.tracker import linking
from tests.letters.builders import with_letter_read
from tests.security.matrix import (
    API_PEOPLE,
    PEOPLE,
    Route,
    World,
    build_world,
    census,
    columns_of,
    differences,
    draft_page_form,
    parse_table,
    pdf_upload,
    request_outcome,
    walk_urls,
)

# --- The expectations ---------------------------------------------------------------------

# The client pages and the workbench. A revoked or unrelated person gets the 404 of a
# missing case; the signed-out and the deactivated go to sign in; staff without their
# second factor go to it first. The sponsor's side reads the sponsorship part: the
# tracker (their part of it), the conversations on the sponsor's side and their files,
# and answers only the eligibility step's document requests (the one asked here is the
# medical exam's: "already answered", as for a request that is not there). Drafts are
# their owner's and the owner's authorised representative's only. An officer with a
# conflict of interest reads the case only as the party they are (the tracker), and gets
# the 404 of a missing case on every staff page. Analysts get the 404 of the workbench's
# case pages and of the conversations (officers' and supervisors' pages). Link-code pages
# are the same for every request id, one that is not there included: only the person who
# asked for the code can use it. Pages that only show something answer POST as they answer
# GET (no view refuses it), so POST is checked there too.
PAGES = """
URL METHOD                                 anon    owner sponsor rep-a rep-s revoked stranger officer no-mfa conflict sup sup-else analyst inactive
tracker:code GET                           sign-in 200   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
tracker:code POST                          sign-in 302   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
tracker:case GET                           sign-in 200   200     200   200   404     404      200     mfa    200      200 404      200     sign-in
tracker:case POST                          sign-in 200   200     200   200   404     404      200     mfa    200      200 404      200     sign-in
tracker:documents POST                     sign-in 302   422     302   422   404     404      422     mfa    404      422 404      422     sign-in
tracker:documents@eligibility POST         sign-in 302   302     302   302   404     404      422     mfa    404      422 404      422     sign-in
# Conversations are on one side of the case: the applicant's (the owner and their
# representative) or the sponsor's (the sponsor and theirs); officers and supervisors
# read both.
conversations:list GET                     sign-in 200   200     200   200   404     404      200     mfa    404      200 404      404     sign-in
conversations:list POST                    sign-in 302   302     302   302   404     404      302     mfa    404      302 404      404     sign-in
conversations:thread@applicant GET         sign-in 200   404     200   404   404     404      200     mfa    404      200 404      404     sign-in
conversations:thread@applicant POST        sign-in 302   404     302   404   404     404      302     mfa    404      302 404      404     sign-in
conversations:thread@sponsor GET           sign-in 404   200     404   200   404     404      200     mfa    404      200 404      404     sign-in
conversations:thread@sponsor POST          sign-in 404   302     404   302   404     404      302     mfa    404      302 404      404     sign-in
conversations:attachment@applicant GET     sign-in 200   404     200   404   404     404      200     mfa    404      200 404      404     sign-in
conversations:attachment@sponsor GET       sign-in 404   200     404   200   404     404      200     mfa    404      200 404      404     sign-in
# A client's own requests on the open case: withdrawing it, asking about it (before its
# inquiry date the page says when, and a question sent is not sent: 422), sending
# documents nobody asked for; any client party, never staff (who record a withdrawal from
# the workbench). The files the client sent, to the parties who see them (the conflicted
# officer is the sponsor). The submitted answers, to the client who applied and their
# representative. The withdrawal letter of the stranger's case, to them and to the staff
# who read that file (unassigned, of a program Ottawa processes); a letter that is not
# there answers as one that may not be seen.
tracker:withdraw GET                       sign-in 200   200     200   200   404     404      404     mfa    404      404 404      404     sign-in
tracker:withdraw POST                      sign-in 302   302     302   302   404     404      404     mfa    404      404 404      404     sign-in
tracker:inquiry GET                        sign-in 200   200     200   200   404     404      404     mfa    404      404 404      404     sign-in
tracker:inquiry POST                       sign-in 422   422     422   422   404     404      404     mfa    404      404 404      404     sign-in
tracker:send-other-documents POST          sign-in 302   302     302   302   404     404      404     mfa    404      404 404      404     sign-in
tracker:document GET                       sign-in 200   200     200   200   404     404      404     mfa    200      404 404      404     sign-in
intake:submitted-answers GET               sign-in 200   404     200   404   404     404      404     mfa    404      404 404      404     sign-in
letters:download@missing GET               sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
letters:download@other-case GET            sign-in 404   404     404   404   404     200      200     mfa    404      200 404      200     sign-in
# The sponsor's own sponsorship: theirs and their representative's, the sponsor's side
# only; out of the officers' reach (no skill in its program), the conflicted one's too.
tracker:case@sponsorship GET               sign-in 404   200     404   200   404     404      404     mfa    404      200 200      200     sign-in
conversations:list@sponsorship GET         sign-in 404   200     404   200   404     404      404     mfa    404      200 200      404     sign-in
conversations:thread@sponsorship GET       sign-in 404   200     404   200   404     404      404     mfa    404      200 200      404     sign-in
conversations:thread@sponsorship POST      sign-in 404   302     404   302   404     404      404     mfa    404      302 302      404     sign-in
workbench:case@sponsorship GET             sign-in 404   404     404   404   404     404      404     mfa    404      200 200      404     sign-in
# This case's conversation and file, asked for under another case (the stranger's own).
conversations:thread@wrong-case GET        sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
conversations:attachment@wrong-case GET    sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
# Ids that are nothing at all: what a case, conversation, file or draft one may not see
# answers (the link-code page answers the same for any request id).
tracker:case@missing GET                   sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
tracker:code@missing GET                   sign-in 200   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
tracker:code@missing POST                  sign-in 200   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
conversations:list@missing GET             sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
conversations:thread@missing GET           sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
conversations:attachment@missing GET       sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
intake:resume@missing GET                  sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
workbench:case@missing GET                 sign-in 404   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
# The owner's draft, every page answered and every document uploaded, not submitted.
intake:resume GET                          sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:resume POST                         sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:page GET                            sign-in 200   404     200   404   404     404      404     mfa    404      404 404      404     sign-in
intake:page POST                           sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:documents GET                       sign-in 200   404     200   404   404     404      404     mfa    404      404 404      404     sign-in
intake:documents POST                      sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:check GET                           sign-in 200   404     200   404   404     404      404     mfa    404      404 404      404     sign-in
intake:check POST                          sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:confirmation GET                    sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:confirmation POST                   sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:delete GET                          sign-in 200   404     200   404   404     404      404     mfa    404      404 404      404     sign-in
intake:delete POST                         sign-in 302   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
intake:revoke-representative POST          sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
# Starting a draft for the client of an authorisation (its id is in the form).
intake:start-for-client@authorisation POST sign-in 404   404     302   404   404     404      404     mfa    404      404 404      404     sign-in
# The workbench: the officer the file is routed to, and the supervisors of its office
# (another office's supervisor gets the 404 of a missing case); only an officer asks for
# documents (403 for supervisors: "Only an officer can ask for documents") or refuses (a
# supervisor's decision form offers no refusal: 422). The sponsorship above is of a
# program the officers hold no skill in, and nobody has it: out of their reach (404), in
# the reach of the supervisors of every office, as its program names none.
workbench:case GET                         sign-in 404   404     404   404   404     404      200     mfa    404      200 404      404     sign-in
# The documents of the file: the viewer page, the file shown inline, the download; every
# member of staff who may see the file, nobody else.
workbench:document GET                     sign-in 404   404     404   404   404     404      200     mfa    404      200 404      404     sign-in
workbench:document-file GET                sign-in 404   404     404   404   404     404      200     mfa    404      200 404      404     sign-in
workbench:document-download GET            sign-in 404   404     404   404   404     404      200     mfa    404      200 404      404     sign-in
workbench:case POST                        sign-in 404   404     404   404   404     404      200     mfa    404      200 404      404     sign-in
workbench:request-documents POST           sign-in 404   404     404   404   404     404      302     mfa    404      403 404      404     sign-in
workbench:eligibility POST                 sign-in 404   404     404   404   404     404      302     mfa    404      302 404      404     sign-in
workbench:step POST                        sign-in 404   404     404   404   404     404      302     mfa    404      302 404      404     sign-in
workbench:decision POST                    sign-in 404   404     404   404   404     404      302     mfa    404      422 404      404     sign-in
workbench:note POST                        sign-in 404   404     404   404   404     404      302     mfa    404      302 404      404     sign-in
workbench:conflict POST                    sign-in 404   404     404   404   404     404      302     mfa    404      302 404      404     sign-in
# Paper intake: a form received and filed, its scan, the page images, the receipt on paper,
# keying it in (a form sent empty shows its errors), filing (already filed: back to the
# scan) and setting aside (refused once filed: back to the scan). Every officer and
# supervisor handles paper, whatever office: forms come to intake before any office has
# them. Clients and analysts get the 403 of a page of a role they do not hold, whatever
# the scan (which tells nothing of it).
paper-intake:scan GET                      sign-in 403   403     403   403   403     403      200     mfa    200      200 200      403     sign-in
paper-intake:page GET                      sign-in 403   403     403   403   403     403      200     mfa    200      200 200      403     sign-in
paper-intake:receipt GET                   sign-in 403   403     403   403   403     403      200     mfa    200      200 200      403     sign-in
paper-intake:key-in GET                    sign-in 403   403     403   403   403     403      200     mfa    200      200 200      403     sign-in
paper-intake:key-in POST                   sign-in 403   403     403   403   403     403      400     mfa    400      400 400      403     sign-in
paper-intake:file POST                     sign-in 403   403     403   403   403     403      302     mfa    302      302 302      403     sign-in
paper-intake:set-aside POST                sign-in 403   403     403   403   403     403      302     mfa    302      302 302      403     sign-in
# Client email: an email from the owner naming the case, linked to it, with the medical
# exam report the case's open request asks for. Officers and supervisors read and answer
# client email, but not an email linked to a case outside their reach: the conflicted
# officer and another office's supervisor get the 404 of a missing email. Clients and
# analysts get the 403 of a page of a role they do not hold.
correspondence:email GET                   sign-in 403   403     403   403   403     403      200     mfa    404      200 404      403     sign-in
correspondence:category POST               sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
correspondence:answer POST                 sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
correspondence:reply POST                  sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
correspondence:documents POST              sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
correspondence:close POST                  sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
# The confirmation of permanent residence: the owner is the sponsored person of two
# approved sponsorships, invited at their own address. Only the person who took up the
# invitation acts on it (no representative, no sponsor): one sent for review (its parts
# can no longer be changed: each page leads back to it), one confirmed, whose eCOPR they
# download. Officers and supervisors review the confirmations of the files in their
# reach (the officer who approved it, the supervisors of its office); only a supervisor
# revokes an eCOPR. Clients and analysts get the 403 of a page of a role they do not hold.
# The invitation's link (its token is the proof of the invited mailbox) says to anyone
# signed in that another account took it up; only the owner's account is sent on to it.
residence:invitation GET                   sign-in 200   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
residence:invitation POST                  sign-in 302   200     200   200   200     200      200     mfa    200      200 200      200     sign-in
residence:person GET                       sign-in 200   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:declaration GET                  sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:declaration POST                 sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:address GET                      sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:address POST                     sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:photo GET                        sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:photo POST                       sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:submit POST                      sign-in 302   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:ecopr GET                        sign-in 200   404     404   404   404     404      404     mfa    404      404 404      404     sign-in
residence:review GET                       sign-in 403   403     403   403   403     403      200     mfa    404      200 404      403     sign-in
residence:review_photo GET                 sign-in 403   403     403   403   403     403      200     mfa    404      200 404      403     sign-in
residence:confirm POST                     sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
residence:return POST                      sign-in 403   403     403   403   403     403      302     mfa    404      302 404      403     sign-in
residence:revoke POST                      sign-in 403   403     403   403   403     403      403     mfa    403      302 404      403     sign-in
"""  # noqa: E501

# The API: a 401 without usable credentials (none, a bad token, a deactivated account's
# token, a staff session without its second factor, a staff token without an enrolled
# second factor), the 404 of a missing case for whoever
# may not see it. Officers and supervisors read the files the workbench shows them (the
# officer the file is routed to, the supervisors of its office: the sponsorship is of a
# program the officers hold no skill in), analysts every case; none reads a case they
# have a conflict with, and one that concerns them they read as the party they are (the
# status API falls back to it).
API = """
URL METHOD                          anon bad-token owner sponsor rep-a rep-s revoked stranger officer officer-session no-mfa no-device conflict sup sup-else analyst inactive
api-v1:case_status GET              401  401       200   200     200   200   404     404      200     200             401    401       200      200 404      200     401
api-v1:case_events GET              401  401       200   200     200   200   404     404      200     200             401    401       200      200 404      200     401
api-v1:case_tracker GET             401  401       200   200     200   200   404     404      200     200             401    401       200      200 404      200     401
api-v1:case_status@sponsorship GET  401  401       404   200     404   200   404     404      404     404             401    401       404      200 200      200     401
api-v1:case_tracker@sponsorship GET 401  401       404   200     404   200   404     404      404     404             401    401       404      200 200      200     401
api-v1:case_status@missing GET      401  401       404   404     404   404   404     404      404     404             401    401       404      404 404      404     401
"""  # noqa: E501

# The admin's pages of every model that holds a case or part of one (conversations,
# messages and their files, applications, documents, drafts, emails): for the Django
# admin's staff only, which is none of these people but supervisors, who hold no
# permission on those models. Each line stands for every such page of its kind (the walk
# of the URL map finds them): an object's change, delete and history pages; the short
# address that redirects to the change page; "view on site".
ADMIN = """
URL METHOD             anon    owner       sponsor     rep-a       rep-s       revoked     stranger    officer     no-mfa conflict    sup sup-else analyst     inactive
admin:object-page GET  sign-in admin-login admin-login admin-login admin-login admin-login admin-login admin-login mfa    admin-login 403 403      admin-login sign-in
admin:redirect GET     sign-in admin-login admin-login admin-login admin-login admin-login admin-login admin-login mfa    admin-login 302 302      admin-login sign-in
admin:view-on-site GET sign-in admin-login admin-login admin-login admin-login admin-login admin-login admin-login mfa    admin-login 404 404      admin-login sign-in
"""  # noqa: E501

# Where each "302" goes: the page a form that did what it was sent for leads to (and, for
# a draft, the page the person is taken on to).
REDIRECTS = {
    "tracker:code POST": "tracker:case",
    "tracker:documents POST": "tracker:case",
    "conversations:list POST": "conversations:thread",
    "conversations:thread@applicant POST": "conversations:thread",
    "conversations:thread@sponsor POST": "conversations:thread",
    "conversations:thread@sponsorship POST": "conversations:thread",
    "tracker:documents@eligibility POST": "tracker:case",
    "tracker:withdraw POST": "tracker:case",
    "tracker:send-other-documents POST": "tracker:case",
    "intake:resume GET": "intake:check",  # every page answered
    "intake:resume POST": "intake:check",
    "intake:page POST": "intake:my-applications",
    "intake:documents POST": "intake:my-applications",
    "intake:check POST": "intake:confirmation",
    "intake:confirmation GET": "intake:resume",
    "intake:confirmation POST": "intake:resume",
    "intake:delete POST": "intake:my-applications",
    "intake:revoke-representative POST": "intake:representatives",
    "intake:start-for-client@authorisation POST": "intake:page",
    "workbench:request-documents POST": "workbench:case",
    "workbench:eligibility POST": "workbench:case",
    "workbench:step POST": "workbench:case",
    "workbench:decision POST": "workbench:case",
    "workbench:note POST": "workbench:case",
    "workbench:conflict POST": "workbench:queue",
    "paper-intake:file POST": "paper-intake:scan",
    "paper-intake:set-aside POST": "paper-intake:scan",
    "correspondence:category POST": "correspondence:email",
    "correspondence:answer POST": "correspondence:email",
    "correspondence:reply POST": "correspondence:email",
    "correspondence:close POST": "correspondence:email",
    "correspondence:documents POST": "correspondence:email",
    "residence:invitation POST": "residence:home",
    "residence:declaration GET": "residence:person",
    "residence:declaration POST": "residence:person",
    "residence:address GET": "residence:person",
    "residence:photo GET": "residence:person",
    "residence:address POST": "residence:person",
    "residence:photo POST": "residence:person",
    "residence:submit POST": "residence:person",
    "residence:confirm POST": "residence:review",
    "residence:return POST": "residence:review_queue",
    "residence:revoke POST": "residence:review",
}

PAGE_TABLE = parse_table(PAGES, PEOPLE)
API_TABLE = parse_table(API, API_PEOPLE)
ADMIN_TABLE = parse_table(ADMIN, PEOPLE)
LANGUAGES = ("en", "fr")


# --- The URLs and forms of the columns ------------------------------------------------------


# The id of nothing at all.
NOTHING = uuid.UUID("00000000-0000-4000-8000-000000000000")


def _key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Column:
    """The URL of a column (its name and arguments in the world) and the form its POST
    sends: valid, with a fresh idempotency key."""

    name: str
    kwargs: Callable[[World], dict[str, Any]]
    form: Callable[[World], dict[str, Any]] = lambda world: {}


def _case(world: World) -> dict[str, Any]:
    return {"case_id": world.case.public_id}


def _document(world: World) -> dict[str, Any]:
    """The passport sent with the world's application."""
    document = Document.objects.filter(application_id=world.case.application_id).first()
    assert document is not None
    return {**_case(world), "document_id": document.pk}


def _paper_scan(world: World) -> dict[str, Any]:
    return {"scan_id": world.paper_scan.public_id}


def _client_email(world: World) -> dict[str, Any]:
    return {"email_id": world.client_email.public_id}


def _confirmation(world: World) -> dict[str, Any]:
    return {"confirmation_id": world.confirmation.public_id}


def _landed(world: World) -> dict[str, Any]:
    return {"confirmation_id": world.landed.public_id}


def _residence_columns() -> dict[str, Column]:
    """The confirmation of permanent residence: the client's pages on the confirmation
    sent for review (which the client can no longer change) and the confirmed one's
    eCOPR; the officers' review of the first, and its photo; a supervisor's revocation of
    the second."""

    def keyed(**fields: Any) -> Callable[[World], dict[str, Any]]:
        return lambda world: {"idempotency_key": _key(), **fields}

    details = {
        "uci": "1234567890",
        "place_of_birth": "Paris",
        "country_of_birth": "FR",
        "sex": "M",
        "citizenship": "FR",
        "travel_document_number": "19AB12345",
        "travel_document_country": "FR",
    }
    return {
        "residence:invitation": Column(
            "residence:invitation",
            lambda world: {
                "invitation_id": world.confirmation.public_id,
                "token": invitation_token(world.confirmation),
            },
            keyed(),
        ),
        "residence:person": Column("residence:person", _confirmation),
        "residence:declaration": Column(
            "residence:declaration",
            _confirmation,
            keyed(in_canada="on", city="Ottawa", province="ON"),
        ),
        "residence:address": Column("residence:address", _confirmation),
        "residence:photo": Column("residence:photo", _confirmation),
        "residence:submit": Column("residence:submit", _confirmation, keyed()),
        "residence:ecopr": Column("residence:ecopr", _landed),
        "residence:review": Column("residence:review", _confirmation),
        "residence:review_photo": Column(
            "residence:review_photo",
            lambda world: {**_confirmation(world), "photo_id": world.confirmation.photo_id},
        ),
        "residence:confirm": Column("residence:confirm", _confirmation, keyed(**details)),
        "residence:return": Column(
            "residence:return", _confirmation, keyed(reason="Send a photo without glasses.")
        ),
        "residence:revoke": Column(
            "residence:revoke", _landed, keyed(reason="Issued with a wrong date of birth.")
        ),
    }


def _sponsorship(world: World) -> dict[str, Any]:
    return {"case_id": world.sponsorship.public_id}


def _draft(world: World) -> dict[str, Any]:
    return {"draft_id": world.draft.public_id}


def _reply(world: World) -> dict[str, Any]:
    return {"body": "Thank you.", "idempotency_key": _key()}


def _case_form(world: World, **fields: Any) -> dict[str, Any]:
    return {"idempotency_key": _key(), "expected_version": world.case.version, **fields}


def _draft_page(world: World) -> dict[str, Any]:
    return {**_draft(world), "page_id": draft_page_form(world.draft)[0]}


def _first_document(world: World) -> dict[str, Any]:
    kind = drafts.checklist(world.draft)[0].kind
    return {f"document-{kind}": pdf_upload(), "action": "later"}


COLUMNS = {
    "tracker:code": Column(
        "tracker:code",
        lambda world: {"request_id": world.link_request.public_id},
        # The right code: only the person who asked for it may use it.
        lambda world: {"code": linking.link_code(world.link_request.public_id)},
    ),
    "tracker:case": Column("tracker:case", _case),
    "tracker:documents": Column(
        "tracker:documents",
        _case,
        lambda world: {
            "request": world.medical_request.pk,
            "idempotency_key": _key(),
            "documents": pdf_upload("exam.pdf"),
        },
    ),
    "conversations:list": Column(
        "conversations:list",
        _case,
        lambda world: {
            "subject": "A question",
            "body": "Is it complete?",
            "idempotency_key": _key(),
        },
    ),
    "conversations:thread@applicant": Column(
        "conversations:thread",
        lambda world: {**_case(world), "thread_id": world.applicant_thread.public_id},
        _reply,
    ),
    "conversations:thread@sponsor": Column(
        "conversations:thread",
        lambda world: {**_case(world), "thread_id": world.sponsor_thread.public_id},
        _reply,
    ),
    "conversations:attachment@applicant": Column(
        "conversations:attachment",
        lambda world: {**_case(world), "attachment_id": world.applicant_attachment.public_id},
    ),
    "conversations:attachment@sponsor": Column(
        "conversations:attachment",
        lambda world: {**_case(world), "attachment_id": world.sponsor_attachment.public_id},
    ),
    "tracker:documents@eligibility": Column(
        "tracker:documents",
        _case,
        lambda world: {
            "request": world.eligibility_request.pk,
            "idempotency_key": _key(),
            "documents": pdf_upload("income.pdf"),
        },
    ),
    "tracker:withdraw": Column(
        "tracker:withdraw",
        _case,
        lambda world: {"idempotency_key": _key(), "reason": "", "confirm": "on"},
    ),
    "tracker:inquiry": Column(
        "tracker:inquiry",
        _case,
        lambda world: {"idempotency_key": _key(), "question": "Is anything missing?"},
    ),
    "tracker:send-other-documents": Column(
        "tracker:send-other-documents",
        _case,
        lambda world: {
            "idempotency_key": _key(),
            "description": "My new passport",
            "documents": pdf_upload("passport.pdf"),
        },
    ),
    "tracker:document": Column("tracker:document", _document),
    "intake:submitted-answers": Column("intake:submitted-answers", _case),
    "letters:download@other-case": Column(
        "letters:download",
        lambda world: {
            "case_id": world.other_case.public_id,
            "letter_id": world.other_letter.public_id,
        },
    ),
    "letters:download@missing": Column(
        "letters:download", lambda world: {**_case(world), "letter_id": NOTHING}
    ),
    "tracker:case@sponsorship": Column("tracker:case", _sponsorship),
    "conversations:list@sponsorship": Column("conversations:list", _sponsorship),
    "conversations:thread@sponsorship": Column(
        "conversations:thread",
        lambda world: {**_sponsorship(world), "thread_id": world.sponsorship_thread.public_id},
        _reply,
    ),
    "workbench:case@sponsorship": Column("workbench:case", _sponsorship),
    "conversations:thread@wrong-case": Column(
        "conversations:thread",
        lambda world: {
            "case_id": world.other_case.public_id,
            "thread_id": world.applicant_thread.public_id,
        },
    ),
    "conversations:attachment@wrong-case": Column(
        "conversations:attachment",
        lambda world: {
            "case_id": world.other_case.public_id,
            "attachment_id": world.applicant_attachment.public_id,
        },
    ),
    "tracker:case@missing": Column("tracker:case", lambda world: {"case_id": NOTHING}),
    "tracker:code@missing": Column(
        "tracker:code", lambda world: {"request_id": NOTHING}, lambda world: {"code": "123456"}
    ),
    "conversations:list@missing": Column("conversations:list", lambda world: {"case_id": NOTHING}),
    "conversations:thread@missing": Column(
        "conversations:thread", lambda world: {**_case(world), "thread_id": NOTHING}
    ),
    "conversations:attachment@missing": Column(
        "conversations:attachment", lambda world: {**_case(world), "attachment_id": NOTHING}
    ),
    "intake:resume@missing": Column("intake:resume", lambda world: {"draft_id": NOTHING}),
    "workbench:case@missing": Column("workbench:case", lambda world: {"case_id": NOTHING}),
    "intake:resume": Column("intake:resume", _draft),
    "intake:page": Column(
        "intake:page",
        _draft_page,
        # "Save and come back later": to "My applications" once saved.
        lambda world: {**draft_page_form(world.draft)[1], "action": "later"},
    ),
    "intake:documents": Column("intake:documents", _draft, _first_document),
    "intake:check": Column("intake:check", _draft, lambda world: {"declaration": "yes"}),
    "intake:confirmation": Column("intake:confirmation", _draft),
    "intake:delete": Column("intake:delete", _draft),
    "intake:revoke-representative": Column(
        "intake:revoke-representative",
        lambda world: {"representation_id": world.representation.pk},
    ),
    "intake:start-for-client@authorisation": Column(
        "intake:start-for-client",
        lambda world: {},
        lambda world: {"representation": world.representation.pk, "program": "iec"},
    ),
    "workbench:case": Column("workbench:case", _case),
    "paper-intake:scan": Column("paper-intake:scan", _paper_scan),
    "paper-intake:page": Column(
        "paper-intake:page", lambda world: {**_paper_scan(world), "number": 1}
    ),
    "paper-intake:receipt": Column("paper-intake:receipt", _paper_scan),
    "paper-intake:key-in": Column(
        "paper-intake:key-in", _paper_scan, lambda world: {"idempotency_key": _key()}
    ),
    "paper-intake:file": Column(
        "paper-intake:file", _paper_scan, lambda world: {"idempotency_key": _key()}
    ),
    "paper-intake:set-aside": Column(
        "paper-intake:set-aside", _paper_scan, lambda world: {"idempotency_key": _key()}
    ),
    "correspondence:email": Column("correspondence:email", _client_email),
    "correspondence:category": Column(
        "correspondence:category",
        _client_email,
        lambda world: {"category": "complaint", "idempotency_key": _key()},
    ),
    "correspondence:answer": Column(
        "correspondence:answer",
        _client_email,
        lambda world: {"body": "It is with an officer.", "idempotency_key": _key()},
    ),
    "correspondence:reply": Column(
        "correspondence:reply",
        _client_email,
        lambda world: {"reply": "how-to-check-status", "idempotency_key": _key()},
    ),
    "correspondence:documents": Column(
        "correspondence:documents",
        _client_email,
        lambda world: {"request": world.medical_request.pk, "idempotency_key": _key()},
    ),
    "correspondence:close": Column(
        "correspondence:close", _client_email, lambda world: {"idempotency_key": _key()}
    ),
    **_residence_columns(),
    "workbench:document": Column("workbench:document", _document),
    "workbench:document-file": Column("workbench:document-file", _document),
    "workbench:document-download": Column("workbench:document-download", _document),
    "workbench:request-documents": Column(
        "workbench:request-documents",
        _case,
        lambda world: _case_form(
            world,
            step="background",
            items="Police certificate",
            due_on=(clock.now().date() + timedelta(days=30)).isoformat(),
            message="From every country you lived in.",
        ),
    ),
    "workbench:eligibility": Column(
        "workbench:eligibility", _case, lambda world: _case_form(world, finding="met")
    ),
    "workbench:step": Column(
        "workbench:step",
        _case,
        lambda world: _case_form(world, step="background", state="completed", note="Clear."),
    ),
    "workbench:decision": Column(
        "workbench:decision",
        _case,
        lambda world: with_letter_read(
            _case_form(
                world,
                decision="refuse",
                reasons="Funds below the required minimum.",
                legal_grounds="IRPR 200(1)(b)",
                # The world's file has a document request open: the officer confirms it
                # closes.
                close_open_requests="on",
            )
        ),
    ),
    "workbench:note": Column(
        "workbench:note", _case, lambda world: _case_form(world, text="Called the employer.")
    ),
    "workbench:conflict": Column(
        "workbench:conflict", _case, lambda world: _case_form(world, kind="relative", note="")
    ),
    "api-v1:case_status": Column("api-v1:case_status", _case),
    "api-v1:case_events": Column("api-v1:case_events", _case),
    "api-v1:case_tracker": Column("api-v1:case_tracker", _case),
    "api-v1:case_status@sponsorship": Column("api-v1:case_status", _sponsorship),
    "api-v1:case_tracker@sponsorship": Column("api-v1:case_tracker", _sponsorship),
    "api-v1:case_status@missing": Column("api-v1:case_status", lambda world: {"case_id": NOTHING}),
}


# --- The world, built once for the module -------------------------------------------------


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, in a transaction rolled back once the module's tests are done (each
    test's own transaction is a savepoint inside it)."""
    storage = {
        "BACKEND": "passage.intake.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("matrix-media"))},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={**django_settings.STORAGES, "default": storage},
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            PASSAGE_BLIND_REVIEW_SHARE=0,
        ),
        transaction.atomic(),
    ):
        built = build_world()
        built.storage = storage
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def matrix_settings(world: World, settings: Any) -> World:
    """The world's files where it stored them (not the test's own folder), and no request
    rates: the matrix asks far more often than a person would, and rates are not its
    business."""
    settings.STORAGES = {**settings.STORAGES, "default": world.storage}
    settings.PASSAGE_RATE_LIMITS = False
    return world


# --- The tests ----------------------------------------------------------------------------


def _url(column: str, world: World, language: str) -> str:
    spec = COLUMNS[column]
    with translation.override(language):
        return reverse(spec.name, kwargs=spec.kwargs(world))


def _ask(
    table: dict[tuple[str, str], frozenset[str]],
    clients: dict[str, Any],
    world: World,
    language: str,
) -> dict[tuple[str, str], str]:
    actual = {}
    for person, row in table:
        column, method = row.rsplit(" ", 1)
        url = _url(column, world, language)
        form = COLUMNS[column].form(world) if method == "POST" else None
        actual[(person, row)] = request_outcome(clients[person], method, url, form, language)
    return actual


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_person_gets_what_the_rules_say_on_every_case_page(
    matrix_settings: World, language: str
) -> None:
    world = matrix_settings
    actual = _ask(PAGE_TABLE, world.page_clients, world, language)
    found = differences(PAGE_TABLE, actual, REDIRECTS, where=f"[{language}] ")
    assert not found, f"cells that differ from the rules:\n{found}"


@pytest.mark.django_db
def test_every_person_gets_what_the_rules_say_on_every_case_route_of_the_api(
    matrix_settings: World,
) -> None:
    world = matrix_settings
    actual = _ask(API_TABLE, world.api_clients, world, "en")
    found = differences(API_TABLE, actual, REDIRECTS)
    assert not found, f"cells that differ from the rules:\n{found}"


@pytest.mark.django_db
def test_no_one_reads_a_case_through_the_admin(matrix_settings: World) -> None:
    world = matrix_settings
    expected, actual, redirects, missing = {}, {}, {}, []
    for route in _admin_routes():
        url = _admin_url(route, world)
        if url is None:
            missing.append(route.key)
            continue
        kind = _admin_kind(route)
        if route.model is not None:
            model = route.model._meta
            redirects[f"{route.key} GET"] = f"admin:{model.app_label}_{model.model_name}_change"
        for person in PEOPLE:
            cell = (person, f"{route.key} GET")
            expected[cell] = ADMIN_TABLE[(person, f"{kind} GET")]
            actual[cell] = request_outcome(world.page_clients[person], "GET", url, None, "en")
    assert not missing, f"no object in the world for the admin pages {missing}: add one"
    found = differences(expected, actual, redirects)
    assert not found, f"cells that differ from the rules:\n{found}"


def _admin_routes() -> list[Route]:
    return [
        route
        for route in census(walk_urls(get_resolver().url_patterns)).case_bearing
        if route.namespace == "admin"
    ]


def _admin_kind(route: Route) -> str:
    if route.model is None:
        return "admin:view-on-site"
    if route.route.endswith("<path:object_id>/"):
        return "admin:redirect"
    return "admin:object-page"


def _admin_url(route: Route, world: World) -> str | None:
    if route.model is None:  # "view on site": any object; a conversation here
        thread = world.applicant_thread
        values = {
            "content_type_id": ContentType.objects.get_for_model(type(thread)).pk,
            "object_id": thread.pk,
        }
    else:
        found = world.admin_objects.get(route.model)
        if found is None:
            return None
        values = {"object_id": found.pk, "id": found.pk, "pk": found.pk}
    url = "/" + route.route
    for name in route.parameters:
        url = re.sub(rf"<(\w+:)?{name}>", str(values[name]), url)
    return url


# What the sponsor's side reads: the tracker's steps and documents due, and the
# conversations' subjects, on the pages and through the API (`tests/security/
# test_client_reads.py` checks every event and step over random cases).
SPONSORS_SIDE = ("sponsor", "rep-s", "conflict")
APPLICANTS_SIDE = ("owner", "rep-a")


@pytest.mark.django_db
def test_each_side_of_the_case_reads_only_its_part(matrix_settings: World) -> None:
    world = matrix_settings
    medical = world.medical_request.items[0]
    hidden_from = {
        **dict.fromkeys(SPONSORS_SIDE, (medical, world.applicant_thread.subject)),
        **dict.fromkeys(APPLICANTS_SIDE, (world.sponsor_thread.subject,)),
    }
    leaks = []
    for person, hidden in hidden_from.items():
        for column in ("tracker:case", "conversations:list"):
            page = _page(world, person, column)
            leaks += [f"{column} shows {text!r} to {person}" for text in hidden if text in page]
        tracker = world.api_clients[person].get(_url("api-v1:case_tracker", world, "en")).json()
        steps = {step["step"] for step in tracker["steps"]}
        due = {request["step"] for request in tracker["documents_due"]}
        part = {"eligibility"} if person in SPONSORS_SIDE else {step.value for step in Step}
        if steps != part or not due <= part:
            leaks.append(f"the tracker API shows {sorted(steps)}, due {sorted(due)}, to {person}")
    # What the other side must not see is there for the side it belongs to.
    assert medical in _page(world, "owner", "tracker:case")
    assert world.applicant_thread.subject in _page(world, "owner", "conversations:list")
    assert world.sponsor_thread.subject in _page(world, "sponsor", "conversations:list")
    assert not leaks, "\n".join(leaks)


def _page(world: World, person: str, column: str) -> str:
    return world.page_clients[person].get(_url(column, world, "en")).content.decode()


# --- Kept complete ------------------------------------------------------------------------


def checked_methods() -> dict[str, set[str]]:
    """The methods the tables check, by URL name."""
    checked: dict[str, set[str]] = defaultdict(set)
    for row in columns_of(PAGE_TABLE) | columns_of(API_TABLE):
        column, method = row.rsplit(" ", 1)
        checked[COLUMNS[column].name].add(method)
    return checked


def missing_from_the_matrix(routes: list[Route]) -> list[str]:
    """The case-bearing URLs (outside the admin, whose pages are found by the walk
    itself) that are no line of a table, and the URLs whose parameters nobody classed."""
    found = census(routes)
    checked = checked_methods()
    missing = [
        f"{route.key} ({route.route})"
        for route in found.case_bearing
        if route.namespace != "admin" and route.key not in checked
    ]
    missing += [
        f"{route.key} ({route.route}): decide whether {sorted(route.parameters)} name a case"
        for route in found.undecided
    ]
    return missing


def test_every_case_bearing_url_is_in_the_matrix() -> None:
    routes = walk_urls(get_resolver().url_patterns)
    missing = missing_from_the_matrix(routes)
    assert not missing, "URLs with a case, conversation, file, draft or request id that the " + (
        "access matrix does not check:\n" + "\n".join(missing)
    )


def test_every_method_of_every_case_route_of_the_api_is_in_the_matrix() -> None:
    routes = {
        "/" + route.route: route
        for route in walk_urls(get_resolver().url_patterns)
        if route.namespace == "api-v1"
    }
    checked = checked_methods()
    missing = []
    for url, operations in api.get_openapi_schema()["paths"].items():
        route = routes[url.replace("{", "<").replace("}", ">")]
        if route.parameters:
            missing += [
                f"{route.key} {method.upper()}"
                for method in operations
                if method.upper() not in checked[route.key]
            ]
    assert not missing, f"API operations the access matrix does not check: {missing}"


@pytest.mark.django_db
def test_every_method_a_case_page_answers_is_in_the_matrix(matrix_settings: World) -> None:
    """A page's view may answer POST as well as GET (or the other way round) without saying
    so: each method the tables leave out must be refused (405) to someone who may see the
    page (the first person of a line where they get it)."""
    world = matrix_settings
    answered = []
    let_in = {}  # URL name -> a line of it and a person who gets in
    for (person, row), allowed in PAGE_TABLE.items():
        column = row.rsplit(" ", 1)[0]
        if allowed & {"200", "302"}:
            let_in.setdefault(COLUMNS[column].name, (column, person))
    for name, methods in checked_methods().items():
        if name.startswith("api-v1:"):
            continue
        column, person = let_in[name]
        for method in sorted({"GET", "POST"} - methods):
            url = _url(column, world, "en")
            got = request_outcome(world.page_clients[person], method, url, {}, "en")
            if got != "405":
                answered.append(f"{name} {method} answers {got} to {person}")
    assert not answered, "methods the tables do not check:\n" + "\n".join(sorted(answered))


def test_every_line_of_the_tables_is_a_url_that_exists() -> None:
    names = {route.key for route in walk_urls(get_resolver().url_patterns)}
    rows = columns_of(PAGE_TABLE) | columns_of(API_TABLE)
    stale = sorted(row for row in rows if row.rsplit(" ", 1)[0] not in COLUMNS)
    stale += sorted(
        f"{column}: {spec.name}" for column, spec in COLUMNS.items() if spec.name not in names
    )
    assert not stale, f"lines of the tables with no URL: {stale}"


def test_every_redirect_of_the_tables_says_where_it_goes() -> None:
    rows = {row for (_person, row), allowed in PAGE_TABLE.items() if "302" in allowed}
    assert rows == set(REDIRECTS)


def test_a_new_url_with_a_case_id_fails_the_completeness_check() -> None:
    def letters(request: Any, case_id: uuid.UUID) -> None:
        raise AssertionError("never called")

    routes = walk_urls(
        [
            *get_resolver().url_patterns,
            path("<uuid:case_id>/letters/", letters, name="letters"),
            path("letters/<int:letter_id>/", letters, name="letter"),
        ]
    )

    missing = missing_from_the_matrix(routes)

    assert missing == [
        "letters (<uuid:case_id>/letters/)",
        "letter (letters/<int:letter_id>/): decide whether ['letter_id'] name a case",
    ]
