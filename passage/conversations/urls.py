"""Secure message pages of a case."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.conversations import views

app_name = "conversations"
urlpatterns = [
    path(_("<uuid:case_id>/messages/"), views.thread_list, name="list"),
    path(_("<uuid:case_id>/messages/<uuid:thread_id>/"), views.thread, name="thread"),
    path(
        _("<uuid:case_id>/messages/files/<uuid:attachment_id>/"),
        views.attachment,
        name="attachment",
    ),
]
