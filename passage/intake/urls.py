"""The applicant portal's pages: question flows, drafts, check answers and submission."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from passage.intake import representation_views, views

app_name = "intake"
urlpatterns = [
    path("", views.programs, name="programs"),
    path(_("my-applications/"), views.my_applications, name="my-applications"),
    path(format_lazy("{}<slug:program>/", _("start/")), views.start, name="start"),
    path(_("representatives/"), representation_views.representatives, name="representatives"),
    path(
        format_lazy("{}<int:representation_id>/{}", _("representatives/"), _("revoke/")),
        representation_views.revoke,
        name="revoke-representative",
    ),
    path(_("clients/"), representation_views.clients, name="clients"),
    path(
        format_lazy("{}{}", _("clients/"), _("start/")),
        representation_views.start_for_client,
        name="start-for-client",
    ),
    path(
        format_lazy("{}<uuid:case_id>/", _("submitted-answers/")),
        views.submitted_answers,
        name="submitted-answers",
    ),
    path("<uuid:draft_id>/", views.resume, name="resume"),
    path(format_lazy("<uuid:draft_id>/{}", _("documents/")), views.documents, name="documents"),
    path(format_lazy("<uuid:draft_id>/{}", _("check-your-answers/")), views.check, name="check"),
    path(
        format_lazy("<uuid:draft_id>/{}", _("confirmation/")),
        views.confirmation,
        name="confirmation",
    ),
    path(format_lazy("<uuid:draft_id>/{}", _("delete/")), views.delete, name="delete"),
    path("<uuid:draft_id>/<slug:page_id>/", views.page, name="page"),
]
