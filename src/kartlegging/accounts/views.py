"""Two-factor authentication (TOTP) for staff: verify, or set up when there is no app yet.

Codes and secrets are never logged: the code is marked as a sensitive POST parameter,
and pages showing the secret are not cached.
"""

from __future__ import annotations

import logging
import math
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kartlegging.accounts import sessions
from kartlegging.accounts.forms import CodeForm
from kartlegging.core.models import audit

logger = logging.getLogger(__name__)

DEVICE_NAME = "Autentiseringsapp"
QR_SCALE = 4


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    device = confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = _unconfirmed_device(user)

    form = CodeForm(request.POST if request.method == "POST" else None, digits=device.digits)
    if form.is_valid():
        device, error = _check_code(device, form.cleaned_data["code"])
        if error is None:
            otp_login(request, device)
            # New privileges, new session key.
            request.session.cycle_key()
            if setting_up:
                logger.info("Two-factor authentication set up for user %s", user.pk)
                audit("two_factor.set_up", user)
                messages.success(request, _("Tofaktorautentisering er slått på for kontoen din."))
            else:
                audit("two_factor.verified", user)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        audit("two_factor.failed", user, setting_up=setting_up)
        form.add_error("code", error)

    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context.update(_setup_context(device))
    return render(request, "accounts/two_factor.html", context, status=422 if form.errors else 200)


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's own page: two-factor status, where they are signed in, «Logg ut andre steder»."""
    current = request.session.session_key
    if request.method == "POST":
        if settings.KARTLEGGING_REQUIRE_2FA and not request.user.is_verified():
            # The password alone must not end the owner's other sessions.
            return HttpResponseRedirect(f"{resolve_url('accounts:two_factor')}?next={request.path}")
        ended = sessions.end_other_sessions(request.user, current)
        audit("session.ended_elsewhere", request.user, count=ended)
        messages.success(
            request,
            ngettext(
                "Du er logget ut %(n)s annet sted.", "Du er logget ut %(n)s andre steder.", ended
            )
            % {"n": ended},
        )
        return HttpResponseRedirect(request.path)
    live = [
        {
            "row": row,
            "browser": sessions.describe(row.user_agent),
            "current": row.session_key == current,
        }
        for row in sessions.live_sessions(request.user)
    ]
    return render(
        request,
        "accounts/security.html",
        {
            "device": confirmed_device(request.user),
            "verified": request.user.is_verified(),
            "required": settings.KARTLEGGING_REQUIRE_2FA,
            "sessions": sorted(live, key=lambda s: not s["current"]),
            "others": sum(not s["current"] for s in live),
        },
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def _unconfirmed_device(user) -> TOTPDevice:
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=False)
        .filter(name=DEVICE_NAME)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _check_code(device: TOTPDevice, code: str) -> tuple[TOTPDevice, str | None]:
    """Verify `code`; confirm the device if it was new. Returns the device and an error or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            seconds = (info["locked_until"] - timezone.now()).total_seconds()
            return device, _(
                "Du har skrevet feil kode for mange ganger. Vent %(wait)s og prøv igjen."
            ) % {"wait": _wait_text(seconds)}
        if not device.verify_token(code):
            return device, _(
                "Koden stemmer ikke. Skriv inn koden appen viser for Kartlegging nå, "
                "og sjekk at klokken på telefonen går riktig."
            )
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    return device, None


def _wait_text(seconds: float) -> str:
    if seconds < 60:
        n = max(1, math.ceil(seconds))
        return ngettext("%(n)d sekund", "%(n)d sekunder", n) % {"n": n}
    n = math.ceil(seconds / 60)
    if n < 60:
        return ngettext("%(n)d minutt", "%(n)d minutter", n) % {"n": n}
    n = math.ceil(seconds / 3600)
    return ngettext("%(n)d time", "%(n)d timer", n) % {"n": n}


def _setup_context(device: TOTPDevice) -> dict:
    qr = segno.make(device.config_url, error="m")
    width, height = qr.symbol_size(scale=QR_SCALE)
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return {
        "qr_uri": qr.svg_data_uri(scale=QR_SCALE, dark="#000", light="#fff"),
        "qr_width": width,
        "qr_height": height,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }


def _safe_next(request: HttpRequest) -> str:
    """The `next` parameter if it stays on this site, else an empty string."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict | None):
    """django-axes' lockout answer: in Norwegian, saying when to try again."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), "until": until},
        status=429,
    )
