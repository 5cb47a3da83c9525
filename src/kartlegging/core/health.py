"""What /helse/ reports: is the database reachable and migrated, is a worker alive, is the
queue moving. Machine-readable, without login and without personal data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kartlegging.core.models import WorkerHeartbeat

OK, FAILED = "ok", "feil"
_migrated = False  # once applied, they stay applied for this process's code


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _age(since: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def health() -> tuple[bool, dict]:
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False, {"status": FAILED, "database": FAILED}
    report: dict = {"status": OK, "database": OK}
    report["migrations"] = OK if _migrations_applied() else FAILED

    newest = WorkerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
    heartbeat_age = _age(newest, now)
    alive = heartbeat_age is not None and heartbeat_age <= settings.WORKER_TIMEOUT_SECONDS
    report["worker"] = {"status": OK if alive else FAILED, "heartbeat_age_seconds": heartbeat_age}

    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    queue_age = _age(oldest, now) or 0
    moving = queue_age <= settings.HEALTH_QUEUE_MAX_AGE_SECONDS
    report["queue"] = {"status": OK if moving else FAILED, "oldest_queued_age_seconds": queue_age}

    healthy = report["migrations"] == OK and alive and moving
    report["status"] = OK if healthy else FAILED
    return healthy, report
