"""The decision letters' download, under a case's address."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from passage.letters import views

app_name = "letters"
urlpatterns = [
    path(
        format_lazy("<uuid:case_id>/{}<uuid:letter_id>/", _("letters/")),
        views.letter_download,
        name="download",
    ),
]
