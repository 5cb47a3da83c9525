"""The site's URLs plus one tiny staff-only page, to test the login and 2FA guard."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kartlegging.accounts.decorators import staff_required
from kartlegging.urls import urlpatterns as site_urlpatterns


@staff_required
def protected(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Beskyttet side")


urlpatterns = [path("beskyttet/", protected, name="protected"), *site_urlpatterns]
