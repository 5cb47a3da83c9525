"""Where a staff user is signed in: recorded per session, listed on «Sikkerhet», ended on request.

The middleware renews a StaffSession row at most once a minute per session (the time of the
last renewal is kept in the session itself, with its key: a new key after login or 2FA gets
its row at once). «Logg ut andre steder» deletes the other sessions from Django's session
store, so those browsers are signed out on their next request.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.accounts.models import StaffSession

RENEW_SECONDS = 60
SEEN = "kartlegging_seen"  # [session key, unix time] of the last renewal


def track(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            _renew(request, user)
        return response

    return middleware


def _renew(request, user) -> None:
    session = request.session
    key = session.session_key
    if not key:
        return
    now = timezone.now()
    seen = session.get(SEEN)
    if seen and seen[0] == key and now.timestamp() - seen[1] < RENEW_SECONDS:
        return
    StaffSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    session[SEEN] = [key, now.timestamp()]


@receiver(user_logged_out)
def forget(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        StaffSession.objects.filter(session_key=key).delete()


def live_sessions(user) -> list[StaffSession]:
    """The user's sessions that have not ended; rows of ended ones are dropped."""
    rows = list(StaffSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    StaffSession.objects.filter(user=user).exclude(session_key__in=alive).delete()
    return [r for r in rows if r.session_key in alive]


def end_other_sessions(user, current_key: str | None) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    others = StaffSession.objects.filter(user=user).exclude(session_key=current_key or "")
    keys = list(others.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    others.delete()
    return len(keys)


_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def describe(user_agent: str) -> str:
    """«Firefox på Windows»: enough to recognise one's own browsers, nothing more."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return _("%(browser)s på %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Ukjent nettleser")
