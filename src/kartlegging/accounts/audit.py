"""Sign-ins in the audit trail: successes, failures and lockouts (usernames, never passwords)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from kartlegging.core.models import audit


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs) -> None:
    audit("login.succeeded", user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit("login.failed", username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit("login.locked_out", username=str(username or "")[:150])
