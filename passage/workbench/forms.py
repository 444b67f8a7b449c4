"""The workbench's forms. They only parse what a person typed; the services decide.

Every form that acts on a case carries a fresh idempotency key (so a double submit or a
back-and-resubmit replays instead of acting twice) and the case version it was shown
with (so a change made meanwhile by someone else is a 409, not a lost update).
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import Office, User
from passage.cases.models import DeclaredConflict
from passage.cases.status import Step, StepState
from passage.forms import IdempotentForm, ServiceErrorsForm, new_idempotency_key
from passage.workbench.models import Skill

DOCUMENTS_DUE_IN_DAYS = 30
DATE_FORMAT = "%Y-%m-%d"


class Radios(forms.RadioSelect):
    """Radio buttons whose field links to its first button, so that the error summary's
    link takes the person to the question."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


def _date_input() -> forms.DateInput:
    return forms.DateInput(format=DATE_FORMAT, attrs={"type": "date"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class WorkbenchForm(ServiceErrorsForm):
    """A form whose fields have ids unique on the page (several forms share it) and that
    can take the field errors a service reports."""

    name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.name}-%s" if self.name else "id_%s")
        super().__init__(*args, **kwargs)


class CaseActionForm(IdempotentForm, WorkbenchForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = version

    @classmethod
    def resubmittable(cls, data: Any, *, version: int, **kwargs: Any) -> "CaseActionForm":
        """The same typed data with a new idempotency key and the given case version,
        for a form shown again after an error."""
        fresh = data.copy()
        fresh["idempotency_key"] = new_idempotency_key()
        fresh["expected_version"] = str(version)
        form = cls(fresh, version=version, **kwargs)
        form.is_valid()
        return form


class RequestDocumentsForm(CaseActionForm):
    name = "documents"
    step = forms.TypedChoiceField(
        label=_("Step the documents are for"), coerce=Step, choices=Step.choices
    )
    items = forms.CharField(
        label=_("Documents to ask for"),
        help_text=_("One document per line."),
        widget=_textarea(),
        max_length=5000,
        error_messages={"required": _("Name at least one document to ask for.")},
    )
    due_on = forms.DateField(
        label=_("Due date"),
        help_text=_("The client must send the documents by this day."),
        widget=_date_input(),
        error_messages={
            "required": _("Enter the due date."),
            "invalid": _("Enter the due date as a real date, such as 2026-03-31."),
        },
    )
    message = forms.CharField(
        label=_("Message to the client"),
        help_text=_("Optional. Say what you need and why."),
        widget=_textarea(),
        required=False,
        max_length=5000,
    )
    statutory = forms.BooleanField(
        label=_("This date is a time limit set by law"),
        help_text=_(
            "An outage cannot move a limit set by law; if one touches it, the file is "
            "flagged for you instead. Leave unticked for a date you chose."
        ),
        required=False,
    )

    def __init__(self, *args: Any, today: date, steps: Iterable[Step] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = list(steps) or list(Step)
        self.fields["step"].choices = [(step.value, step.label) for step in steps]  # type: ignore[attr-defined]
        self.fields["step"].initial = steps[0].value
        self.fields["due_on"].initial = today + timedelta(days=DOCUMENTS_DUE_IN_DAYS)

    def clean_items(self) -> list[str]:
        items = _lines(self.cleaned_data["items"])
        if not items:
            raise ValidationError(_("Name at least one document to ask for."))
        return items


class EligibilityForm(CaseActionForm):
    name = "eligibility"
    service_fields = {"note": "reasons", "reasons": "reasons"}
    finding = forms.ChoiceField(
        label=_("Are the eligibility requirements met?"),
        choices=[("met", _("Met")), ("not_met", _("Not met"))],
        widget=Radios,
        error_messages={"required": _("Choose whether the requirements are met.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_("Required when the requirements are not met."),
        widget=_textarea(),
        required=False,
        max_length=5000,
    )

    @property
    def eligible(self) -> bool:
        return self.cleaned_data["finding"] == "met"


class StepForm(CaseActionForm):
    name = "step"
    step = forms.TypedChoiceField(
        label=_("Step"),
        coerce=Step,
        choices=[],
        widget=Radios,
        error_messages={"required": _("Choose a step.")},
    )
    state = forms.TypedChoiceField(
        label=_("Result"),
        coerce=StepState,
        choices=[
            (StepState.COMPLETED.value, StepState.COMPLETED.label),
            (StepState.EXEMPTED.value, StepState.EXEMPTED.label),
        ],
        widget=Radios,
        error_messages={"required": _("Choose completed or exempted.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(3), max_length=5000)

    def __init__(self, *args: Any, steps: Iterable[Step] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.value, step.label) for step in steps]  # type: ignore[attr-defined]


class DecisionForm(CaseActionForm):
    name = "decision"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve"))],
        widget=Radios,
        error_messages={"required": _("Choose a decision.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_("Required for a refusal: the client reads them in the decision letter."),
        widget=_textarea(5),
        required=False,
        max_length=5000,
    )
    legal_grounds = forms.CharField(
        label=_("Legal grounds"),
        help_text=_("For a refusal: one provision per line, such as IRPR 200(1)(b)."),
        widget=_textarea(3),
        required=False,
        max_length=5000,
    )

    # What the officer read in the letter's preview (`letters.services.decision_digest`):
    # a decision is sent only with the letter the officer saw.
    letter_digest = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    close_open_requests = forms.BooleanField(
        label=_(
            "I know the client has not answered: the decision closes the open document "
            "request, and the client will not be asked for these documents any more."
        ),
        error_messages={
            "required": _("Confirm that the decision closes the open document request.")
        },
    )

    def __init__(
        self, *args: Any, may_refuse: bool = False, open_requests: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if may_refuse:
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                ("approve", _("Approve")),
                ("refuse", _("Refuse")),
            ]
        # Asked only while a document request of the file is open.
        if not open_requests:
            del self.fields["close_open_requests"]

    @property
    def closes_open_requests(self) -> bool:
        return bool(self.cleaned_data.get("close_open_requests"))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"

    def clean_legal_grounds(self) -> list[str]:
        return _lines(self.cleaned_data["legal_grounds"])


class NoteForm(CaseActionForm):
    name = "note"
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("For the department only: the client never sees notes."),
        widget=_textarea(),
        max_length=5000,
        error_messages={"required": _("Write the note.")},
    )


class ConflictForm(CaseActionForm):
    name = "conflict"
    kind = forms.TypedChoiceField(
        label=_("Why you cannot handle this file"),
        coerce=DeclaredConflict.Kind,
        choices=DeclaredConflict.Kind.choices,
        widget=Radios,
        error_messages={"required": _("Choose why you have a conflict of interest.")},
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        help_text=_(
            "For the department only. Once you declare it, this file and every file of the "
            "same client leave your queue, and another officer handles them."
        ),
        widget=_textarea(3),
        max_length=5000,
        required=False,
    )


class RetryJobForm(IdempotentForm, WorkbenchForm):
    name = "retry"
    job = forms.UUIDField(widget=forms.HiddenInput)


class TakeNextForm(IdempotentForm, WorkbenchForm):
    name = "next"


# --- Supervision ------------------------------------------------------------------------


class OfficeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Office) -> str:
        return obj.name_fr if get_language() == "fr" else obj.name_en


class OfficerForm(WorkbenchForm):
    name = "officer"
    office = OfficeChoice(
        label=_("Office"),
        queryset=Office.objects.order_by("code"),
        empty_label=None,
        error_messages={"required": _("Choose an office.")},
    )
    weekly_capacity = forms.IntegerField(
        label=_("Weekly capacity"),
        help_text=_("Files the officer can carry at once, from 0 to 500."),
        min_value=0,
        max_value=500,
        error_messages={"required": _("Enter the weekly capacity.")},
    )

    def __init__(self, *args: Any, office_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A supervisor places officers in their own office only.
        offices = Office.objects.none()
        if office_id is not None:
            offices = Office.objects.filter(pk=office_id)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class SkillForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *Skill.Kind.choices], required=False
    )
    value = forms.CharField(label=_("Value"), required=False, max_length=100)
    proficiency = forms.TypedChoiceField(
        label=_("Proficiency"),
        coerce=int,
        choices=[(level, str(level)) for level in range(1, 6)],
        initial=3,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("value", "").strip() and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of skill."))
        return data


SkillFormSet = forms.formset_factory(SkillForm, extra=2, max_num=50, absolute_max=60)


def skill_rows(formset: Any) -> list[tuple[str, str, int]]:
    """The filled rows of a valid skills formset; a row without a value is dropped."""
    return [
        (row["kind"], row["value"].strip(), row["proficiency"])
        for row in formset.cleaned_data
        if row and row.get("kind") and row.get("value", "").strip()
    ]


class LeaveForm(WorkbenchForm):
    name = "leave"
    starts_on = forms.DateField(
        label=_("First day"),
        widget=_date_input(),
        error_messages={
            "required": _("Enter the first day of leave."),
            "invalid": _("Enter the first day as a real date, such as 2026-03-31."),
        },
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=_date_input(),
        error_messages={
            "required": _("Enter the last day of leave."),
            "invalid": _("Enter the last day as a real date, such as 2026-03-31."),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class UUIDList(forms.Field):
    """The values of several checkboxes of the same name, as UUIDs."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[UUID]:
        try:
            return [UUID(str(item)) for item in value or []]
        except ValueError as error:
            raise ValidationError(_("Choose files from the list.")) from error


QUEUE = "queue"


class ReassignForm(IdempotentForm, WorkbenchForm):
    name = "reassign"
    service_fields = {"officer": "destination"}
    cases = UUIDList(error_messages={"required": _("Select at least one file.")})
    destination = forms.ChoiceField(
        label=_("Give the selected files to"),
        choices=[],
        error_messages={"required": _("Choose an officer or the shared queue.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Recorded in each file's history, with your name."),
        max_length=500,
        error_messages={"required": _("Give a reason.")},
    )

    def __init__(self, *args: Any, officers: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose…")),
            (QUEUE, _("Nobody: back to the shared queue")),
            *[(str(person.pk), person.get_full_name() or person.username) for person in officers],
        ]

    def destination_officer_id(self) -> int | None:
        destination = self.cleaned_data["destination"]
        return None if destination == QUEUE else int(destination)
