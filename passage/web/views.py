from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language_from_request


def root_redirect(request: HttpRequest) -> HttpResponse:
    """Send / to the home page in the visitor's language."""
    language = get_language_from_request(request)
    return HttpResponseRedirect(f"/{'fr' if language == 'fr' else 'en'}/")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
