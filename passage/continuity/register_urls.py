"""The supervisors' pages of the outage register, under /en/outages/ and /fr/pannes/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.continuity import register_views

app_name = "outages"

urlpatterns = [
    path("", register_views.register, name="register"),
    path(_("announce/"), register_views.announce_maintenance, name="announce"),
    path(_("record/"), register_views.record_incident, name="record"),
    path("<str:reference>/", register_views.outage, name="outage"),
    path(_("<str:reference>/change/"), register_views.change_outage, name="change"),
    path(_("<str:reference>/confirm/"), register_views.confirm_outage, name="confirm"),
    path(_("<str:reference>/withdraw/"), register_views.withdraw_outage, name="withdraw"),
]
