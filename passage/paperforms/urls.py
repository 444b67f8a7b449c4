"""The paper channel's pages: the forms for clients under /en/paper-forms/ and
/fr/formulaires-papier/, and intake's under /en/paper-intake/ and /fr/reception-papier/."""

from django.urls import path

from passage.paperforms import views

app_name = "paper-forms"

urlpatterns = [
    path("", views.forms_list, name="forms"),
    path("<slug:code>/", views.fill_in_form, name="fill-in"),
]
