from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kartlegging.core.health import health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an expired page (open for many hours): say what to do, in Norwegian.
    return render(request, "403_csrf.html", status=403)


@never_cache
def health_check(request: HttpRequest) -> JsonResponse:
    """For monitors: 200 when the site and its worker are well, 503 otherwise."""
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)
