"""Response headers that every page of the app gets."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control


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
