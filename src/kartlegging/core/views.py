from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an expired page (open for many hours): say what to do, in Norwegian.
    return render(request, "403_csrf.html", status=403)
