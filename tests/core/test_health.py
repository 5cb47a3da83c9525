import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kartlegging.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def beat(seconds_ago: int) -> None:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=seen, seen_at=seen
    )


def test_healthy_with_a_live_worker_and_an_empty_queue(client):
    beat(3)
    response = client.get("/helse/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["migrations"] == "ok"
    assert body["worker"] == {"status": "ok", "heartbeat_age_seconds": 3}
    assert body["queue"] == {"status": "ok", "oldest_queued_age_seconds": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_worker_is_503(client):
    response = client.get("/helse/")
    assert response.status_code == 503
    assert response.json()["worker"] == {"status": "feil", "heartbeat_age_seconds": None}


@override_settings(WORKER_TIMEOUT_SECONDS=60)
def test_silent_worker_is_503(client):
    beat(61)
    assert client.get("/helse/").status_code == 503


@override_settings(TASKS=DATABASE_QUEUE, HEALTH_QUEUE_MAX_AGE_SECONDS=600)
def test_a_task_waiting_too_long_is_503(client):
    from kartlegging.surveys.tasks import send_email

    beat(1)
    result = send_email.enqueue(1)
    assert client.get("/helse/").status_code == 200
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=601)
    )
    body = client.get("/helse/").json()
    assert body["queue"]["status"] == "feil"
    assert body["queue"]["oldest_queued_age_seconds"] >= 601


def test_needs_no_login_and_shows_no_personal_data(client, invited):
    beat(1)
    response = client.get("/helse/")
    text = response.content.decode()
    assert response.status_code == 200
    assert invited.respondent.email not in text and invited.respondent.name not in text
