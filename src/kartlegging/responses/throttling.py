"""Wrong respondent links cost: past 20 from one address in 10 minutes, that address waits.

Only unknown or malformed links count, and only they are refused, so a respondent using
their own link is never throttled, whoever else shares their address. Tokens are 256 bits and cannot be guessed; this keeps scanners from
loading the database and the logs.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.http import Http404
from django.shortcuts import render

from kartlegging.core.throttle import Throttle

WRONG_LINKS = Throttle("respondent-link", limit=20, window=dt.timedelta(minutes=10))


class UnknownLink(Http404):
    """No respondent has this link (or it is not a link at all)."""


def throttled(view):
    """Checked only after the link turned out wrong: a right link costs no query here and is
    never refused, even from an address that is waiting (a municipality's shared NAT)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except UnknownLink:
            if WRONG_LINKS.blocked(request):
                minutes = int(WRONG_LINKS.window.total_seconds() // 60)
                return render(request, "responses/too_many.html", {"minutes": minutes}, status=429)
            WRONG_LINKS.failed(request)
            raise

    return wrapper
