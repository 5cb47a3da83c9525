"""Count failures per client address and refuse that address for a while past a limit.

Only failures count (a wrong respondent link, say), so a respondent who uses their own
link is never throttled by their own use of it. Addresses are stored hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ipware import get_client_ip

from kartlegging.core.models import ThrottleCount


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (behind TRUSTED_PROXIES proxies)."""
    address, _routable = get_client_ip(
        request,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or "unknown"


def _key(scope: str, request: HttpRequest) -> str:
    text = f"{settings.SECRET_KEY}:{scope}:{client_address(request)}"
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
