"""The production web server: gunicorn running our WSGI app, with defaults that suit a county.

`kartlegging serve` is the one way to run it (systemd, `make demo`, the system tests), so
what people try is what runs in production. Django's `runserver` is for developers only.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from kartlegging.core.logging import redact

# Apache's combined format plus the time taken, which is what an IT department expects.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def default_workers() -> int:
    """Gunicorn's rule of thumb (2 × cores + 1), capped: each sync worker holds the app."""
    from_env = os.environ.get("WEB_CONCURRENCY", "").strip()
    if from_env:
        return int(from_env)
    return min(2 * multiprocessing.cpu_count() + 1, 8)


class RedactingLogger(Logger):
    """Gunicorn's logger with respondent tokens removed from every access-log field.

    A respondent's link is their password: it shows up in the request line, the path,
    the Referer of every page it loads, and in the raw environ atoms.
    """

    def atoms(self, resp, req, environ, request_time) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


class KartleggingServer(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from kartlegging.wsgi import application

        return application


def server_options(bind: str, workers: int, timeout: int) -> dict[str, Any]:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        # Requests are short (slow work runs in the worker); a stuck one is killed and logged.
        "timeout": timeout,
        # SIGHUP / SIGTERM: running requests get this long to finish.
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then, so a slow leak can never take the site down.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "logger_class": "kartlegging.core.server.RedactingLogger",
        # The reverse proxy on this machine tells us the scheme (X-Forwarded-Proto).
        "forwarded_allow_ips": "127.0.0.1,::1",
        "proc_name": "kartlegging",
        # Not preloaded: a graceful restart (HUP) then loads upgraded code.
        "preload_app": False,
        # Gunicorn's runtime control socket lives in $HOME; systemd's ProtectHome forbids it,
        # and signals (HUP, TERM) are all operations need.
        "control_socket_disable": True,
    }
