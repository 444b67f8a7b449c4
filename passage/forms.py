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
