"""Tasks whose worker died are queued again, or after three tries failed with a message."""

import datetime as dt

import pytest
from django.core import mail as outbox
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kartlegging.core import workers
from kartlegging.core.models import WorkerHeartbeat
from kartlegging.reports.models import ReportFile
from kartlegging.reports.tasks import build_report_file
from kartlegging.surveys import tasks
from kartlegging.surveys.models import Email

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}},
    WORKER_TIMEOUT_SECONDS=60,
)


def claimed_by_dead_worker(result_id, attempts: int = 1) -> DBTaskResult:
    """What a SIGKILL leaves behind: RUNNING, claimed by a worker that stopped beating."""
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    for n in range(attempts):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=f"dead-{n}",
            defaults={"hostname": "h", "pid": 1, "started_at": long_ago, "seen_at": long_ago},
        )
    DBTaskResult.objects.filter(pk=result_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=long_ago,
        worker_ids=[f"dead-{n}" for n in range(attempts)],
    )
    return DBTaskResult.objects.get(pk=result_id)


def run_queue() -> None:
    workers.batch("alive").run()


@DATABASE_QUEUE
@pytest.mark.django_db(transaction=True)  # the worker manages its connection like in production
def test_report_of_a_killed_worker_is_built_by_the_next_one(survey):
    report_file = ReportFile.objects.create(survey=survey, format="html")
    result = build_report_file.enqueue(report_file.pk)
    claimed_by_dead_worker(result.id)
    ReportFile.objects.filter(pk=report_file.pk).update(status=ReportFile.Status.RUNNING)

    assert workers.recover_abandoned_tasks() == {"requeued": 1, "failed": 0}
    run_queue()

    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.DONE
    assert b"<h1" in bytes(report_file.content)


@DATABASE_QUEUE
def test_task_of_a_live_worker_is_left_alone(survey):
    report_file = ReportFile.objects.create(survey=survey, format="html")
    result = build_report_file.enqueue(report_file.pk)
    claimed_by_dead_worker(result.id)
    WorkerHeartbeat.objects.filter(worker_id="dead-0").update(seen_at=timezone.now())

    assert workers.recover_abandoned_tasks() == {"requeued": 0, "failed": 0}
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


@DATABASE_QUEUE
def test_third_death_fails_the_report_with_a_message_the_leader_sees(as_, survey):
    report_file = ReportFile.objects.create(survey=survey, format="pdf")
    result = build_report_file.enqueue(report_file.pk)
    claimed_by_dead_worker(result.id, attempts=3)

    assert workers.recover_abandoned_tasks() == {"requeued": 0, "failed": 1}

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.FAILED
    page = as_("leder").get(f"/kartlegginger/{survey.slug}/resultater/rapporter/").content.decode()
    assert "Arbeidsprosessen stoppet mens rapporten ble laget" in page
    assert "Lages" not in page


@DATABASE_QUEUE
def test_third_death_of_an_email_shows_it_as_failed(invited):
    (email,) = tasks.queue([invited.respondent], Email.Kind.INVITATION)
    result = DBTaskResult.objects.get()
    claimed_by_dead_worker(result.id, attempts=3)

    workers.recover_abandoned_tasks()

    email.refresh_from_db()
    assert email.failed_at and not email.sent_at
    assert "stoppet under sendingen" in email.error
    assert outbox.outbox == []


@DATABASE_QUEUE
def test_two_recoverers_requeue_once(survey):
    report_file = ReportFile.objects.create(survey=survey, format="html")
    result = build_report_file.enqueue(report_file.pk)
    claimed_by_dead_worker(result.id)
    assert workers.recover_abandoned_tasks()["requeued"] == 1
    assert workers.recover_abandoned_tasks()["requeued"] == 0


def test_heartbeat_thread_beats_and_clears_on_clean_stop(transactional_db):
    heartbeat = workers.HeartbeatThread("w-test")
    assert WorkerHeartbeat.objects.filter(worker_id="w-test").exists()
    heartbeat.start()
    heartbeat.stop()
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()
