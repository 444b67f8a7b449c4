"""The demo's offices and people: accounts, staff authenticators, officers' skills,
representatives' authorisations, the follow-up an officer started with a few
applicants, and the sign-ins `passage load_demo` prints.

Every function here creates what is missing and leaves what is there, so that loading
the demo again writes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.accounts.services import create_person
from passage.cases.models import Case
from passage.cases.services import request_documents
from passage.cases.status import FINISHED_STEP_STATES, CaseStatus, PartyRole, Step, StepState
from passage.conversations.services import start_thread
from passage.demo import data
from passage.demo.data import ClientData, StaffData
from passage.demo.pdf import ascii_text
from passage.intake.representation import authorise_representative
from passage.workbench.models import OfficerProfile, Skill

# The demo applicant. The moment her account joined anchors the demo's timeline.
ANCHOR_ACCOUNT = "amelie"


@dataclass(frozen=True)
class SignIn:
    """A demo account to sign in with, as `passage load_demo` lists it."""

    role: str
    username: str
    description: str


SIGN_INS = (
    SignIn("applicant", "amelie", "Amélie Lefebvre, with cases in several states"),
    SignIn("sponsor", "sponsor", "Geneviève Tremblay, sponsor of her spouse and daughter"),
    SignIn(
        "representative", "rep", f"Nadia Belkacem, authorised by {len(data.REPRESENTED)} clients"
    ),
    SignIn("employer", "employer", "Julie Bouchard"),
    SignIn("sponsored", "camille", "Camille Girard, invited to confirm permanent residence"),
    SignIn(
        "sponsored",
        "nino",
        "Nino Quincampoix, sent for review; a child's photo refused, another's part to finish",
    ),
    SignIn(
        "sponsored",
        "karim",
        "Karim Mansouri, a permanent resident (eCOPR); his daughter's confirmation returned",
    ),
    SignIn("sponsored", "thandiwe", "Thandiwe Dlamini, a permanent resident whose card is ordered"),
    SignIn(
        "officer", "officer", "Émilie Côté, Ottawa (IEC and eTA; a confirmation of PR to review)"
    ),
    SignIn("supervisor", "supervisor", "Robert Nadeau, Ottawa"),
    SignIn("analyst", "analyst", "Kavita Rao, policy analyst"),
    SignIn("administrator", "admin", "superuser, for /en/admin/"),
)


def ensure_offices() -> tuple[dict[str, Office], int, int]:
    """Every demo office by code, with how many were created and how many updated to
    match the demo data."""
    offices: dict[str, Office] = {}
    created_count = updated_count = 0
    for item in data.OFFICES:
        wanted = {"name_en": item.name_en, "name_fr": item.name_fr, "time_zone": item.time_zone}
        office, created = Office.objects.get_or_create(code=item.code, defaults=wanted)
        if created:
            created_count += 1
        elif any(getattr(office, name) != value for name, value in wanted.items()):
            Office.objects.filter(pk=office.pk).update(**wanted)
            updated_count += 1
        offices[item.code] = office
    return offices, created_count, updated_count


def ensure_people(
    offices: dict[str, Office], anchor: datetime, programs: Iterable[str]
) -> tuple[dict[str, User], int]:
    """Every demo account by username, creating the missing ones (joined at the anchor),
    with how many were created. Staff get their skills and demo authenticator; the
    sponsored people who confirm permanent residence, a verified address."""
    existing = {user.username: user for user in User.objects.filter(username__in=_usernames())}
    # One hash for every demo account: hashing ~70 passwords one by one would take longer
    # than loading every case.
    password_hash = make_password(data.DEMO_PASSWORD)
    created = 0

    def person(
        username: str,
        given_name: str,
        family_name: str,
        roles: list[Role],
        *,
        language: str,
        email: str,
        office: Office | None = None,
        verified: bool = False,
    ) -> User:
        nonlocal created
        user = existing.get(username)
        if user is not None:
            return user
        user = create_person(
            username=username,
            email=email,
            password=None,
            roles=roles,
            first_name=given_name,
            last_name=family_name,
            preferred_language=language,
            office=office,
        )
        user.password = password_hash
        user.date_joined = anchor
        # The sponsored people's invitations went to their addresses: verified.
        user.email_verified_at = anchor if verified else None
        user.save(update_fields=["password", "date_joined", "email_verified_at"])
        created += 1
        existing[username] = user
        return user

    people: dict[str, User] = {}
    for client in (*data.APPLICANTS, data.REPRESENTATIVE, data.EMPLOYER):
        roles = [Role.APPLICANT]
        if client.group in (data.CITIZEN, data.RESIDENT) or client.username == "sponsor":
            roles.append(Role.SPONSOR)
        if client.username == "rep":
            roles = [Role.REPRESENTATIVE]
        if client.username == "employer":
            roles = [Role.EMPLOYER]
        people[client.username] = person(
            client.username,
            client.given_name,
            client.family_name,
            roles,
            language=client.language,
            email=client_email(client),
        )
    for story in data.RESIDENCE:
        newcomer = story.person
        people[newcomer.username] = person(
            newcomer.username,
            newcomer.given_name,
            newcomer.family_name,
            [Role.APPLICANT],
            language=newcomer.language,
            email=client_email(newcomer),
            verified=True,
        )
    staff: list[tuple[StaffData, Role]] = [
        *((officer, Role.OFFICER) for officer in data.OFFICERS),
        *((supervisor, Role.SUPERVISOR) for supervisor in data.SUPERVISORS),
        (data.ANALYST, Role.ANALYST),
    ]
    for member, role in staff:
        people[member.username] = person(
            member.username,
            member.given_name,
            member.family_name,
            [role],
            language=member.language,
            email=f"{member.username}@department.example",
            office=offices[member.office],
        )
    listed = {code for office in data.OFFICES for code in office.programs}
    unlisted = sorted(set(programs) - listed)
    for index, officer in enumerate(data.OFFICERS):
        _ensure_officer_skills(people[officer.username], officer, index, unlisted)
    admin = person(
        "admin", "Site", "Administrator", [], language="en", email="admin@department.example"
    )
    if not (admin.is_superuser and admin.is_staff):
        User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    people["admin"] = admin
    for member, _role in staff:
        _ensure_demo_authenticator(people[member.username])
    _ensure_demo_authenticator(admin)
    return people, created


def _ensure_demo_authenticator(user: User) -> None:
    """Give a staff account its own demo authenticator app, with a random secret."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    for device in devices.filter(name=data.DEMO_DEVICE_NAME, key=data.RETIRED_SHARED_TOTP_KEY):
        device.key = default_key()
        device.save(update_fields=["key"])
    if not devices.exists():
        # django-otp draws a random key for each new device.
        TOTPDevice.objects.create(user=user, name=data.DEMO_DEVICE_NAME, confirmed=True)


def demo_totp_device(username: str) -> TOTPDevice | None:
    """The demo authenticator of a demo staff account; None for any other account, and
    for a demo account without that app."""
    if username not in {member.username for member in _staff_data()} | {"admin"}:
        return None
    return TOTPDevice.objects.filter(
        user__username=username, name=data.DEMO_DEVICE_NAME, confirmed=True
    ).first()


def _staff_data() -> tuple[StaffData, ...]:
    return (*data.OFFICERS, *data.SUPERVISORS, data.ANALYST)


def _ensure_officer_skills(
    officer: User, member: StaffData, index: int, unlisted: list[str]
) -> None:
    """Capacity and skills for routing: the programs of the officer's office at a
    proficiency that varies between officers, their languages, and a risk area for some.
    A program no demo office lists (one added since) is processed in every office."""
    for program in unlisted:
        Skill.objects.get_or_create(
            officer=officer, kind="program", value=program, defaults={"proficiency": 3}
        )
    if OfficerProfile.objects.filter(officer=officer).exists():
        return
    OfficerProfile.objects.create(officer=officer, weekly_capacity=12 + 4 * (index % 4))
    programs = next(office.programs for office in data.OFFICES if office.code == member.office)
    skills = [("program", program, 2 + (index + n) % 4) for n, program in enumerate(programs)]
    skills.append(("language", member.language, 5))
    if member.language == "fr" or index % 3 == 0:
        skills.append(("language", "en" if member.language == "fr" else "fr", 3))
    risk_areas = ("criminality", "medical", "inadmissibility", "financial")
    if index % 2 == 0:
        skills.append(("risk_area", risk_areas[(index // 2) % len(risk_areas)], 3))
    Skill.objects.bulk_create(
        Skill(officer=officer, kind=kind, value=value, proficiency=proficiency)
        for kind, value, proficiency in skills
    )


def _usernames() -> list[str]:
    names = [c.username for c in (*data.APPLICANTS, data.REPRESENTATIVE, data.EMPLOYER)]
    names += [story.person.username for story in data.RESIDENCE]
    names += [s.username for s in _staff_data()]
    return [*names, "admin"]


def client_email(client: ClientData) -> str:
    """The email address of a demo client: their username at an example domain."""
    domain = "example.org" if client.username == "rep" else "example.com"
    return f"{ascii_text(client.username)}@{domain}"


def ensure_representations(people: dict[str, User], anchor: datetime) -> None:
    """The represented clients authorised the representative before their first case."""
    representative = people["rep"]
    for username in sorted(data.REPRESENTED):
        authorise_representative(
            client=people[username],
            email=representative.email,
            membership_number=data.REPRESENTATIVE_MEMBERSHIP,
            now=anchor - timedelta(days=data.AUTHORISED_DAYS_AGO),
        )


def ensure_follow_up(people: dict[str, User], anchor: datetime) -> None:
    """On the oldest file in review of a few applicants, the officer asks for a document
    for a step not finished yet and writes a message, so that their tracker has
    something to do and their messages something to read. Keyed by the case, so a
    second run adds nothing."""
    for username in data.FOLLOWED_UP:
        cases = Case.objects.filter(
            parties__person=people[username],
            parties__role=PartyRole.APPLICANT,
            status=CaseStatus.IN_REVIEW,
        ).order_by("received_at", "pk")
        for case in cases:
            step = next(
                (s for s in Step if StepState(getattr(case, s.value)) not in FINISHED_STEP_STATES),
                None,
            )
            if step is None:
                continue
            last = case.events.order_by("-sequence").values_list("occurred_at", flat=True).first()
            asked_at = (last or anchor) + timedelta(minutes=1)
            if asked_at >= anchor - timedelta(minutes=5):
                continue
            officer = case.assigned_to or people["officer"]
            request_documents(
                case_id=case.public_id,
                actor=officer,
                step=step,
                items=[data.FOLLOW_UP_DOCUMENT],
                due_on=(anchor + timedelta(days=data.FOLLOW_UP_DUE_DAYS)).date(),
                message=data.FOLLOW_UP_REQUEST,
                idempotency_key=f"demo-{case.reference}-documents",
                now=asked_at,
            )
            start_thread(
                case_id=case.public_id,
                person=officer,
                subject=data.FOLLOW_UP_SUBJECT,
                body=data.FOLLOW_UP_MESSAGE,
                idempotency_key=f"demo-{case.reference}-message",
                now=asked_at + timedelta(seconds=30),
            )
            break
