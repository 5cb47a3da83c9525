"""Background workers: a heartbeat per process, and recovery of tasks whose worker died.

django-tasks-db marks a task RUNNING when a worker claims it and records the worker's id;
if that process is killed (SIGKILL, power loss) the row stays RUNNING for ever. Every
worker therefore renews a heartbeat row, and each round looks for RUNNING tasks whose
worker has fallen silent: they go back to the queue, or after MAX_ATTEMPTS claims they are
marked failed and `task_abandoned` lets the owning app tell the user.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.dispatch import Signal
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kartlegging.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
MAX_ATTEMPTS = 3
ABANDONED = "kartlegging.core.workers.WorkerDied"

# Sent with `task_result` (a DBTaskResult) when a task is given up for good.
task_abandoned = Signal()


def worker_timeout() -> dt.timedelta:
    """How long without a heartbeat before a worker counts as dead."""
    return dt.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


def beat(worker_id: str, started_at: dt.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )


class HeartbeatThread(threading.Thread):
    """Renews the heartbeat while the main thread runs tasks that may take minutes."""

    def __init__(self, worker_id: str):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        beat(worker_id, self.started_at)  # before the first claim: never a task without one

    def run(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    beat(self.worker_id, self.started_at)
                except Exception:  # a database blip must not kill the worker; try again
                    logger.warning("Heartbeat failed; retrying", exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        """A clean exit: no longer alive, so nobody waits for a timeout."""
        self.stopping.set()
        if self.is_alive():  # a stop may come between the first beat and start()
            self.join(timeout=HEARTBEAT_SECONDS + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def batch(worker_id: str) -> Worker:
    """django-tasks-db's worker for one pass over every queue: run what is due, then return."""
    return Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )


def recover_abandoned_tasks(now: dt.datetime | None = None) -> dict[str, int]:
    """Requeue or fail RUNNING tasks whose worker has no fresh heartbeat."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - worker_timeout()).values_list(
            "worker_id", flat=True
        )
    )
    counts = {"requeued": 0, "failed": 0}
    for result in DBTaskResult.objects.running():
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        # Conditional on the claim we looked at: another worker may be recovering too.
        claimed = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        attempts = len(result.worker_ids)
        if attempts < MAX_ATTEMPTS:
            if claimed.update(status=TaskResultStatus.READY, started_at=None, run_after=now):
                counts["requeued"] += 1
                logger.warning(
                    "Task %s (%s) lost its worker; queued again (attempt %d of %d)",
                    result.pk,
                    result.task_name,
                    attempts + 1,
                    MAX_ATTEMPTS,
                )
            continue
        updated = claimed.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=ABANDONED,
            traceback=f"The worker stopped while running this task, {attempts} times.",
        )
        if updated:
            counts["failed"] += 1
            logger.error(
                "Task %s (%s) given up after %d attempts", result.pk, result.task_name, attempts
            )
            task_abandoned.send(sender=DBTaskResult, task_result=result)
    # Forget workers that have been silent for a long time (their tasks are handled above).
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * worker_timeout()).delete()
    return counts
