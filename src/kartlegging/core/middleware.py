"""Response headers that every page of the app gets."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def no_store(get_response):
    """Pages and downloads carry names, addresses and answers: never keep them in a cache.

    Static files are served by WhiteNoise before this runs and keep their long cache.
    """

    def middleware(request):
        response = get_response(request)
        cache_control = response.get("Cache-Control", "")
        if not cache_control:
            add_never_cache_headers(response)
        elif "no-store" not in cache_control:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


def form_posts_only(get_response):
    """Every POST of the app is a browser form. Another body (JSON, plain text) would be read
    as an empty form, and a section page would store «no answer» for every question: 415.

    A NUL byte in a query parameter is refused too (400): a filter such as ?person=%00 would
    reach PostgreSQL, which cannot compare it. Posted forms refuse it beside the field.
    """

    def middleware(request):
        if (
            request.method == "POST"
            and request.content_type not in FORM_TYPES
            and request.META.get("CONTENT_LENGTH", "0") not in ("", "0")
        ):
            return render(request, "415.html", status=415)
        if _has_nul(request.GET):
            return render(request, "400.html", status=400)
        return get_response(request)

    return middleware


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())
