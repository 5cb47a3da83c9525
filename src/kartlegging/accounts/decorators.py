"""Staff pages need a login as staff, and a verified second factor when 2FA is required."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff:
            raise PermissionDenied  # an account the admin made without «staff status»
        if settings.KARTLEGGING_REQUIRE_2FA and not user.is_verified():
            return redirect(f"{_two_factor_url()}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def _two_factor_url() -> str:
    from django.urls import reverse

    return reverse("accounts:two_factor")
