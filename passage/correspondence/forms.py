"""The forms of the correspondence pages: each action on an email carries its key."""

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.correspondence.models import Category
from passage.forms import IdempotentForm, ServiceErrorsForm

STANDARD_REPLY_CHOICES = [
    ("how-to-check-status", _("How to see where an application stands")),
    ("how-to-send-documents", _("How to send documents")),
    ("general-information", _("General information is on the website")),
]


class CategoryForm(ServiceErrorsForm, IdempotentForm):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)


class AnswerForm(ServiceErrorsForm, IdempotentForm):
    body = forms.CharField(
        label=_("Answer"),
        help_text=_(
            "Sent in the case's secure messages; the client gets an email with a link only."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )


class StandardReplyForm(ServiceErrorsForm, IdempotentForm):
    reply = forms.ChoiceField(
        label=_("Standard reply"),
        help_text=_("Sent by email to the sender, in both languages, with nothing about any case."),
        choices=STANDARD_REPLY_CHOICES,
        widget=forms.RadioSelect,
    )


class DocumentsForm(IdempotentForm):
    request = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(IdempotentForm):
    pass
