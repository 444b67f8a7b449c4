"""The contact details a client keeps on their account (name, email, telephone, mailing
address, language), changed from the account page, by the names a change of them is
recorded under on their open cases (`cases.services.report_change`)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage import errors
from passage.accounts.models import ContactChange, User
from passage.accounts.services import queue_account_email
from passage.accounts.signals import contact_details_changed
from passage.idempotency import check_key
from passage.outbox.links import sign_in_url

DETAIL_LABELS = {
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email address"),
    "phone": gettext_lazy("Telephone"),
    "address": gettext_lazy("Mailing address"),
    "language": gettext_lazy("Language of correspondence"),
}


def detail_label(field: str) -> str:
    """The name of a contact detail in the active language (the field's code if unknown)."""
    label = DETAIL_LABELS.get(field)
    return str(label) if label is not None else field


LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


class ContactDetailsError(errors.InvalidRequest):
    """Contact details that cannot be saved; `errors` names the field of each problem."""

    http_status = 400


@transaction.atomic
def change_contact_details(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    mailing_address: str,
    preferred_language: str,
    idempotency_key: str,
    now: datetime,
) -> dict[str, str]:
    """Save the client's contact details and return what changed, each field's code
    (`contact_details.DETAIL_LABELS`) with its new value. In the same transaction the
    change is recorded on each of their open cases, for the officers (the
    `contact_details_changed` signal), and a new email address is announced to the old
    one, so that its owner learns of a change they did not make. The form's key makes a
    form sent again act once: it returns the first answer and writes nothing."""
    check_key(idempotency_key, error=errors.InvalidRequest)
    if user.is_department_staff:
        raise errors.InvalidRequest(_("Department staff keep their details with their office."))
    # Locked first: the same form sent twice at once finds the first one's change.
    person = User.objects.select_for_update().get(pk=user.pk)
    earlier = ContactChange.objects.filter(user=person, idempotency_key=idempotency_key).first()
    if earlier is not None:
        return dict(earlier.changes)
    email = User.objects.normalize_email(email).strip()
    # Browsers send a textarea's lines with CRLF: the same address is not a change.
    mailing_address = "\n".join(mailing_address.strip().splitlines())
    if preferred_language not in LANGUAGE_NAMES:
        message = _("Choose English or French")
        raise ContactDetailsError(message, errors={"preferred_language": message})
    if email.lower() != person.email.lower() and _address_taken(email, person):
        message = _("This email address cannot be used. Enter another address.")
        raise ContactDetailsError(message, errors={"email": message})
    changes = _changed_details(
        person,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone.strip(),
        mailing_address=mailing_address.strip(),
        preferred_language=preferred_language,
    )
    if not changes:
        return {}
    old_email = person.email
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.email, person.phone = email, phone.strip()
    person.mailing_address = mailing_address.strip()
    person.preferred_language = preferred_language
    person.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "phone",
            "mailing_address",
            "preferred_language",
        ]
    )
    ContactChange.objects.create(
        user=person, idempotency_key=idempotency_key, changes=changes, at=now
    )
    if "email" in changes and old_email:
        queue_account_email(
            kind="email_changed",
            to_email=old_email,
            language=person.preferred_language,
            template="email_changed",
            context={
                "name": person.first_name,
                "link": sign_in_url(language=person.preferred_language),
            },
            now=now,
        )
    contact_details_changed.send(
        sender=User, person=person, changes=changes, idempotency_key=idempotency_key, now=now
    )
    for field in ("first_name", "last_name", "email", "phone", "mailing_address"):
        setattr(user, field, getattr(person, field))
    user.preferred_language = person.preferred_language
    return changes


def _address_taken(email: str, person: User) -> bool:
    """Whether another account has the address, as its email or its sign-in name."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .exclude(pk=person.pk)
        .exists()
    )


def _changed_details(person: User, **new: str) -> dict[str, str]:
    """The contact details that differ from the person's, by their codes, with the new
    values as an officer reads them (the whole name; the language by its own name)."""
    changes = {}
    new_name = f"{new['first_name']} {new['last_name']}".strip()
    if (new["first_name"], new["last_name"]) != (person.first_name, person.last_name):
        changes["name"] = new_name
    if new["email"] != person.email:
        changes["email"] = new["email"]
    if new["phone"] != person.phone:
        changes["phone"] = new["phone"]
    if new["mailing_address"] != person.mailing_address:
        changes["address"] = new["mailing_address"]
    if new["preferred_language"] != person.preferred_language:
        changes["language"] = LANGUAGE_NAMES[new["preferred_language"]]
    return changes
