"""Form pieces shared by the apps' pages."""

import uuid
from typing import Any

from django import forms


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
