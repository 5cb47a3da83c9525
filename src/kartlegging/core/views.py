from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kartlegging.core.health import health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Norwegian instead of Django's bare «Bad Request (400)»; 413 when the request was too big."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return render(request, "413.html", {"limit": f"{limit:.1f}".replace(".", ",")}, status=413)
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an expired page (open for many hours): say what to do, in Norwegian.
    return render(request, "403_csrf.html", status=403)


@never_cache
def health_check(request: HttpRequest) -> JsonResponse:
    """For monitors: 200 when the site and its worker are well, 503 otherwise."""
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)
