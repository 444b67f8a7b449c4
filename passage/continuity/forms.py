"""The outage register's forms for supervisors. They only parse what a person typed, in
their own time zone; `services.py` decides what is allowed.

Every form that changes the register carries a fresh idempotency key, so that a double
click or a resubmitted page records nothing twice; the change form also carries the
version of the outage it was drawn with, so that a change made meanwhile is refused
rather than lost."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.accounts.time_zones import zone_in_words
from passage.continuity.models import Component, Outage, OutageKind
from passage.continuity.models.register import STATUSES_OF
from passage.forms import IdempotentForm, ServiceErrorsForm, new_idempotency_key

# What a datetime-local input sends, to the minute.
DATE_TIME_FORMAT = "%Y-%m-%dT%H:%M"
TEXTS = ("title_en", "title_fr", "text_en", "text_fr", "advice_en", "advice_fr")


class Radios(forms.RadioSelect):
    """Radio buttons whose field links to its first button, so that the error summary's
    link takes the person to the question."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field links to its first box, for the error summary's link."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


def _date_time_field(label: Any, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATE_TIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(format=DATE_TIME_FORMAT, attrs={"type": "datetime-local"}),
        error_messages={
            "required": _("Give the date and time."),
            "invalid": _("Give a real date and time, such as 2027-03-31 14:30."),
        },
    )


def _text_field(*, label: Any, language: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "lang": language}),
    )


def _to_the_minute(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(second=0, microsecond=0)


class RegisterForm(ServiceErrorsForm, IdempotentForm):
    """A register form: its ids unique on the page (several forms share the outage's
    page), the service's errors beside their fields, and the time zone its times are in."""

    prefix_id = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.prefix_id}-%s" if self.prefix_id else "id_%s")
        super().__init__(*args, **kwargs)
        zone = zone_in_words(timezone.get_current_timezone_name())
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.help_text = _("In your time zone: %(zone)s.") % {"zone": zone}

    @classmethod
    def again(cls, data: Any, *, version: int | None = None, **kwargs: Any) -> "RegisterForm":
        """The same typed data under a fresh key (and the given version of the outage),
        to show again after an error."""
        fresh = data.copy()
        fresh["idempotency_key"] = new_idempotency_key()
        if version is not None:
            fresh["expected_version"] = str(version)
        form = cls(fresh, **kwargs)
        form.is_valid()
        return form


class DescriptionFields(forms.Form):
    """The services an outage touches and its public texts in both languages."""

    components = forms.MultipleChoiceField(
        label=_("Services affected"),
        choices=Component.choices,
        widget=Checkboxes,
        error_messages={"required": _("Choose at least one service.")},
    )
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "en"}),
        error_messages={"required": _("Give a title in English.")},
    )
    title_fr = forms.CharField(
        label=_("Title in French"),
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "fr"}),
        error_messages={"required": _("Give a title in French.")},
    )
    text_en = _text_field(language="en", label=_("What clients read, in English"))
    text_fr = _text_field(language="fr", label=_("What clients read, in French"))
    advice_en = _text_field(language="en", label=_("What clients can do instead, in English"))
    advice_fr = _text_field(language="fr", label=_("What clients can do instead, in French"))

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXTS}


class MaintenanceForm(RegisterForm, DescriptionFields):
    """Announce planned maintenance: from when to when, what, and what clients read."""

    prefix_id = "maintenance"
    starts_at = _date_time_field(_("Starts"), required=True)
    ends_at = _date_time_field(_("Ends"), required=True)
    field_order = ["components", "starts_at", "ends_at", *TEXTS]


class IncidentForm(RegisterForm, DescriptionFields):
    """Record an incident: since when (and until when, if it is over), its status, what
    it touches and what clients read."""

    prefix_id = "incident"
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(status.value, status.label) for status in STATUSES_OF[OutageKind.INCIDENT]],
        widget=Radios,
    )
    starts_at = _date_time_field(_("When it started"), required=True)
    ends_at = _date_time_field(_("When it ended"), required=False)
    field_order = ["status", "components", "starts_at", "ends_at", *TEXTS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = STATUSES_OF[OutageKind.INCIDENT][0].value
        self.fields["ends_at"].help_text = _(
            "In your time zone: %(zone)s. Leave it empty while the incident lasts."
        ) % {"zone": zone_in_words(timezone.get_current_timezone_name())}


class ChangeForm(RegisterForm, DescriptionFields):
    """Change an outage as it unfolds: its status, times, services and texts. Only what
    differs from the outage as drawn is sent, so that a status that ends it sets its end
    to now unless one is given."""

    prefix_id = "change"
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), widget=Radios)
    starts_at = _date_time_field(_("Start"), required=True)
    ends_at = _date_time_field(_("End"), required=False)
    field_order = ["status", "components", "starts_at", "ends_at", *TEXTS]

    def __init__(self, *args: Any, outage: Outage, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_of(outage))
        super().__init__(*args, **kwargs)
        self.outage = outage
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            (value.value, value.label) for value in STATUSES_OF[OutageKind(outage.kind)]
        ]
        self.fields["expected_version"].initial = outage.version
        if outage.kind == OutageKind.PLANNED:
            self.fields["ends_at"].required = True
        else:
            self.fields["ends_at"].help_text = _(
                "In your time zone: %(zone)s. Leave it empty while the incident lasts; "
                "when you resolve it, an empty end is now."
            ) % {"zone": zone_in_words(timezone.get_current_timezone_name())}

    @staticmethod
    def initial_of(outage: Outage) -> dict[str, Any]:
        return {
            "status": outage.status,
            "components": list(outage.components),
            "starts_at": outage.starts_at,
            "ends_at": outage.ends_at,
            **{name: getattr(outage, name) for name in TEXTS},
        }

    def changes(self) -> dict[str, Any]:
        """The fields the person changed: the values that differ from the outage's (its
        times compared to the minute, as the form shows them)."""
        data = self.cleaned_data
        changed: dict[str, Any] = {}
        for name in self.fields:
            if name in ("idempotency_key", "expected_version"):
                continue
            value, current = data.get(name), getattr(self.outage, name)
            if name in ("starts_at", "ends_at"):
                if value != _to_the_minute(current):
                    changed[name] = value
            elif name == "components":
                if sorted(value or ()) != sorted(current):
                    changed[name] = sorted(value or ())
            elif value != current:
                changed[name] = value
        return changed


class ConfirmForm(ChangeForm):
    """Confirm an incident the probes opened and describe it for clients: the services
    it touches and the public texts, which start empty for the person to write."""

    prefix_id = "confirm"

    def __init__(self, *args: Any, outage: Outage, **kwargs: Any) -> None:
        initial = {**self.initial_of(outage), **dict.fromkeys(TEXTS, "")}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, outage=outage, **kwargs)
        for name in ("status", "starts_at", "ends_at"):
            del self.fields[name]


class WithdrawForm(RegisterForm):
    """Withdraw a record made in error, saying why, once the person confirms it."""

    prefix_id = "withdraw"
    reason = forms.CharField(
        label=_("Why is this record withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Say why the record is withdrawn.")},
    )
    confirmed = forms.BooleanField(
        label=_(
            "I understand: the record stays in the register marked withdrawn, and no "
            "longer moves any deadline."
        ),
        error_messages={"required": _("Confirm that you want to withdraw this record.")},
    )
