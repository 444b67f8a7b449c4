"""The public status page at /en/status/ and /fr/status/. The address is the same in both
languages (it is the one announced to clients and partners, and the one the web server's
fallback serves from the static copy), unlike the other pages' translated addresses."""

from django.urls import path

from passage.continuity import status_views

app_name = "status"
urlpatterns = [
    path("", status_views.status_page, name="page"),
    path("summary.json", status_views.summary_json, name="summary"),
    path("feed.atom", status_views.feed_atom, name="feed"),
]
