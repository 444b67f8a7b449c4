"""Client email for officers and supervisors, under /en/correspondence/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("", views.queue, name="queue"),
    path(_("figures/"), views.figures, name="figures"),
    path("<uuid:email_id>/", views.email, name="email"),
    path(_("<uuid:email_id>/category/"), views.correct, name="category"),
    path(_("<uuid:email_id>/answer/"), views.answer, name="answer"),
    path(_("<uuid:email_id>/reply/"), views.reply, name="reply"),
    path(_("<uuid:email_id>/documents/"), views.documents, name="documents"),
    path(_("<uuid:email_id>/close/"), views.close, name="close"),
]
