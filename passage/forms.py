"""Form pieces shared by the apps' pages."""

import datetime
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def new_idempotency_key() -> str:
    """A fresh key for a form about to be shown."""
    return uuid.uuid4().hex


class IdempotentForm(forms.Form):
    """A form that changes something: it carries a key made when it is drawn, so that a
    double click, a resubmitted page or a replayed request acts once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = new_idempotency_key()


class ServiceErrorsForm(forms.Form):
    """A form that shows the field errors a service reports (an InvalidRequest's
    `errors`) beside their fields, and above the form those of a hidden field, which no
    one could see beside it."""

    # The names a service gives its errors, when they differ from this form's fields.
    service_fields: dict[str, str] = {}

    def add_service_errors(self, message: str, errors: object) -> None:
        """Show a service's InvalidRequest: each error beside its field, else on top."""
        if not isinstance(errors, dict) or not errors:
            self.add_error(None, message)
            return
        for key, error in errors.items():
            name = self.service_fields.get(key, key)
            beside_field = name in self.fields and not self.fields[name].widget.is_hidden
            self.add_error(name if beside_field else None, str(error))

    def full_clean(self) -> None:
        super().full_clean()
        # An error on a hidden field cannot be shown beside it: say it above the form.
        if not self.is_bound or not hasattr(self, "_errors"):
            return
        hidden = [field.name for field in self.hidden_fields() if field.name in self._errors]
        for name in hidden:
            del self._errors[name]
            self.cleaned_data.pop(name, None)
        if hidden:
            self.add_error(None, _("This form is out of date. Reload the page and try again."))


class DatePartsWidget(forms.MultiWidget):
    """A date as three boxes, day, month and year, as every date of the site is asked
    (the pattern of the design system: no calendar to fight, no format to guess)."""

    template_name = "web/includes/date_parts.html"
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, *, autocomplete: str = "", attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": str(length),
                    **({"autocomplete": f"{autocomplete}-{part}"} if autocomplete else {}),
                }
            )
            for part, _label, length in self.PARTS
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, (part, label, _length) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            subwidget["part"], subwidget["label"] = part, label
        return context


class DatePartsField(forms.MultiValueField):
    """A real date from three boxes: day, month and a four-digit year."""

    widget = DatePartsWidget

    def __init__(self, *, autocomplete: str = "", **kwargs: Any) -> None:
        parts = [forms.CharField(required=False, max_length=4) for _ in range(3)]
        super().__init__(
            parts,
            require_all_fields=False,
            widget=DatePartsWidget(autocomplete=autocomplete),
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        try:
            if len(year) != 4:
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
