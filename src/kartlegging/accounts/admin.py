"""The Django admin behind the same login and second factor as the rest of the site.

The admin's own login form asks for a password only; with 2FA required that would be a
back door to every respondent's name and address. So the admin sends people to the app's
login (which does 2FA) and lets in only staff whose session has a verified device.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.KARTLEGGING_REQUIRE_2FA or request.user.is_verified()

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        if request.user.is_authenticated and settings.KARTLEGGING_REQUIRE_2FA:
            if not request.user.is_verified():
                two_factor = reverse("accounts:two_factor")
                return redirect(f"{two_factor}?{urlencode({'next': next_url})}")
        return redirect_to_login(next_url, reverse("accounts:login"))
