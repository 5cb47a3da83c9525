"""Count failures per client address and refuse that address for a while past a limit.

Only failures count (a wrong respondent link, say), so a respondent who uses their own
link is never throttled by their own use of it. Addresses are stored hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from kartlegging.core.models import ThrottleCount


def client_address(request: HttpRequest) -> str | None:
    """The client's address, for login lockouts (django-axes) and link throttling.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the real client is
    the TRUSTED_PROXIES-th entry from the right; entries further left are the client's own
    claims and never trusted. The header counts only when the request came from a proxy
    on this machine (gunicorn listens on loopback behind nginx or Caddy).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and _is_loopback(remote) and len(forwarded) >= hops:
        return forwarded[-hops]
    return remote or None  # e.g. a test client's force_login: no address at all


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _key(scope: str, request: HttpRequest) -> str:
    text = f"{settings.SECRET_KEY}:{scope}:{client_address(request) or 'unknown'}"
    return hashlib.sha256(text.encode()).hexdigest()


class Throttle:
    def __init__(self, scope: str, limit: int, window: dt.timedelta):
        self.scope, self.limit, self.window = scope, limit, window

    def blocked(self, request: HttpRequest) -> bool:
        since = timezone.now() - self.window
        return ThrottleCount.objects.filter(
            key=_key(self.scope, request), window_start__gte=since, count__gte=self.limit
        ).exists()

    def failed(self, request: HttpRequest) -> None:
        """Count one failure (atomic across processes); a stale window starts afresh."""
        key, now = _key(self.scope, request), timezone.now()
        with transaction.atomic():
            fresh = ThrottleCount.objects.filter(key=key, window_start__gte=now - self.window)
            if fresh.update(count=F("count") + 1):
                return
            stale = ThrottleCount.objects.filter(key=key)
            if stale.update(window_start=now, count=1):
                return
            try:
                with transaction.atomic():
                    ThrottleCount.objects.create(key=key, window_start=now, count=1)
            except IntegrityError:  # another process created it first
                fresh.update(count=F("count") + 1)
