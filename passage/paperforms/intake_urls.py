"""Intake staff's pages of the paper channel, under /en/paper-intake/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.paperforms import views

app_name = "paper-intake"

urlpatterns = [
    path("", views.scans, name="scans"),
    path("<uuid:scan_id>/", views.scan, name="scan"),
    path(_("<uuid:scan_id>/file/"), views.file_scan, name="file"),
    path(_("<uuid:scan_id>/key-in/"), views.key_in, name="key-in"),
    path(_("<uuid:scan_id>/set-aside/"), views.set_aside, name="set-aside"),
    path(_("<uuid:scan_id>/pages/<int:number>/"), views.scan_page, name="page"),
    path(_("<uuid:scan_id>/receipt/"), views.acknowledgement, name="receipt"),
]
