"""The case status tracker's pages."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from passage.tracker import views

app_name = "tracker"
urlpatterns = [
    path(_("link/"), views.link_case, name="link"),
    path(format_lazy("{}<uuid:request_id>/", _("link/")), views.enter_code, name="code"),
    path("<uuid:case_id>/", views.case_page, name="case"),
    path(
        format_lazy("<uuid:case_id>/{}", _("documents/")),
        views.send_documents,
        name="documents",
    ),
]
