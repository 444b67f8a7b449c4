"""The intake spool's receipt pages, under /en/receipts/ and /fr/recus/."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from passage.continuity import receipt_views

app_name = "receipts"
urlpatterns = [
    path(
        format_lazy("{}<str:receipt>/", _("receipts/")), receipt_views.receipt_page, name="receipt"
    ),
]
