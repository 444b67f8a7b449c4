"""The message forms. They only parse what a person typed; the services decide.

Each carries an idempotency key made when the form is drawn, so that a double click or a
resubmitted page sends the message once.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from passage.conversations.services import MAX_BODY, MAX_SUBJECT
from passage.forms import IdempotentForm, new_idempotency_key

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MessageForm(IdempotentForm):
    """A reply: the message, an optional file, and the key."""

    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={"required": _("Enter a message.")},
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        help_text=_("A PDF, JPEG or PNG file."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def add_service_errors(self, message: str, errors: object) -> None:
        """Show a service's InvalidRequest: each error beside its field, else on top."""
        placed = False
        if isinstance(errors, dict):
            for name, error in errors.items():
                self.add_error(name if name in self.fields else None, str(error))
                placed = True
        if not placed:
            self.add_error(None, message)

    def renew_key(self) -> None:
        """Give the form shown again a new key (the one sent is spent)."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["idempotency_key"] = new_idempotency_key()
        self.data = data


class NewThreadForm(MessageForm):
    """A new conversation: a subject, then the first message."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT,
        error_messages={"required": _("Enter a subject.")},
    )

    field_order = ["subject", "body", "attachment"]
