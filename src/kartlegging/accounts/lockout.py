"""Which accounts django-axes has locked after too many wrong passwords, and lifting a lock.

The project leader lifts it for a member of their survey (members page); an administrator
for anyone (`kartlegging axes_reset_username NAME`, or «Tilgangsforsøk» in the admin).
"""

from __future__ import annotations

from collections.abc import Iterable

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def unlock(username: str) -> bool:
    return reset(username=username) > 0


def username_of(request, credentials: dict | None = None) -> str | None:
    """The username django-axes counts failures for, cut to what a username can be (150).

    A 10 000-character «username» would not fit axes' 255-character column on PostgreSQL.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get("username") if source else None
    return None if username is None else str(username)[:150]
