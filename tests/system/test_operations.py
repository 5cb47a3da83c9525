"""Operations on the production stack: static files and gzip, /helse/, a database restart,
and a backup taken during autosaves that restores every acknowledged answer."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time

import pytest

from tests.system.conftest import Respondent, survey_with_respondents, wait_until


def saved_answers(site) -> dict[str, str]:
    code = (
        "import json; from kartlegging.responses.models import Answer; "
        "print(json.dumps({a.response.respondent.email: a.value for a in "
        "Answer.objects.filter(question_key='kompetanse_utdyp').select_related('response__respondent')}))"
    )
    return {
        email: value[0] if isinstance(value, list) else value
        for email, value in json.loads(
            site.run("shell", "-c", code).stdout.splitlines()[-1]
        ).items()
    }


def test_static_files_are_hashed_immutable_and_pages_gzip_compressed(site, tmp_path, browser):
    (link,) = survey_with_respondents(site, tmp_path)
    site.start_server()
    page = browser.new_context().new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(site.url + link + "del/om_deg/")
    page.wait_for_load_state("networkidle")

    weight = sum(
        r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in responses
    )
    print(f"first visit: {len(responses)} requests, {weight / 1024:.0f} KB transferred")
    assert weight < 150 * 1024
    html = next(r for r in responses if r.url.endswith("/del/om_deg/")).response()
    assert html.headers["content-encoding"] == "gzip"
    static = [r.response() for r in responses if "/static/" in r.url]
    assert static
    for response in static:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", response.url), response.url
        cache = response.headers["cache-control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 31536000

    before = site.web_log.read_text().count("\n")
    page.goto(site.url + link + "del/organisering_koordinator/")
    page.wait_for_load_state("networkidle")
    repeat = site.web_log.read_text().splitlines()[before:]
    requests = [line for line in repeat if '"GET ' in line]
    print(f"repeat visit: {len(requests)} request(s)")
    assert requests and not [line for line in requests if "/static/" in line]


def test_health_follows_the_worker_through_a_clean_stop_and_a_kill(site):
    site.start_server()
    assert site.get_status("/helse/") == 503  # no worker yet
    site.start_worker()
    wait_until(lambda: site.get_status("/helse/") == 200, 30, "/helse/ to answer 200")

    os.killpg(site.worker.pid, signal.SIGTERM)  # systemctl stop
    assert site.worker.wait(timeout=20) == 0
    assert "Arbeideren er stoppet." in (site.var / "worker.log").read_text()
    assert site.get_status("/helse/") == 503  # a clean stop says goodbye at once

    site.start_worker()
    wait_until(lambda: site.get_status("/helse/") == 200, 30, "/helse/ to answer 200 again")
    site.kill_worker()
    wait_until(lambda: site.get_status("/helse/") == 503, 30, "/helse/ to notice the dead worker")


def test_graceful_restart_keeps_answering(site, tmp_path):
    (link,) = survey_with_respondents(site, tmp_path)
    site.start_server(workers=2)
    os.kill(site.server.pid, signal.SIGHUP)  # systemctl reload
    statuses = [site.get_status(link) for _ in range(20)]
    assert statuses == [200] * 20
    wait_until(lambda: "Handling signal: hup" in site.web_log.read_text(), 10, "the reload")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL pass only")
def test_pages_answer_after_the_database_dropped_every_connection(site, tmp_path):
    import psycopg

    (link,) = survey_with_respondents(site, tmp_path)
    site.start_server(workers=2)
    for _ in range(4):
        assert site.get_status(link) == 200
    with psycopg.connect(site.env["DATABASE_URL"], autocommit=True) as db:
        killed = db.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1
    assert [site.get_status(link) for _ in range(4)] == [200, 200, 200, 200]


def test_backup_during_autosaves_restores_every_acknowledged_answer(make_site, tmp_path):
    original = make_site("original")
    original.run("migrate", "--noinput")
    emails = [f"r{n}@horten.example" for n in range(2)]
    links = survey_with_respondents(original, tmp_path, emails)
    original.start_server(workers=2)

    acknowledged: dict[str, list[tuple[float, int]]] = {email: [] for email in emails}
    stop = threading.Event()

    def keep_saving(email: str, link: str) -> None:
        respondent, n = Respondent(original, link), 0
        while not stop.is_set():
            n += 1
            if respondent.save("kompetanse", "kompetanse_utdyp", f"svar {n}"):
                acknowledged[email].append((time.monotonic(), n))

    threads = [threading.Thread(target=keep_saving, args=pair) for pair in zip(emails, links)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    archive = tmp_path / "kartlegging-2026-12-01.tar.gz"
    started = time.monotonic()
    original.run("backup", "-o", str(archive))
    took = time.monotonic() - started
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    before_backup = {
        email: max((n for at, n in acks if at < started), default=0)
        for email, acks in acknowledged.items()
    }
    saves = sum(len(acks) for acks in acknowledged.values())
    print(f"backup: {took:.2f} s, {archive.stat().st_size / 1024:.0f} KB, during {saves} autosaves")
    assert all(before_backup.values())

    restored = make_site("restored")
    result = restored.run("restore", str(archive))
    assert "Gjenopprettet sikkerhetskopien" in result.stdout
    answers = saved_answers(restored)
    for email, last in before_backup.items():
        assert int(answers[email].split()[1]) >= last, (email, answers[email], last)

    refused = restored.run("restore", str(archive), check=False)
    assert refused.returncode and "Databasen er ikke tom" in refused.stderr
    assert restored.run("restore", "--force", str(archive)).returncode == 0
    restored.start_server()
    assert restored.get_status(links[0]) == 200


def test_the_worker_deletes_personal_data_on_the_deletion_date(site, tmp_path):
    (link,) = survey_with_respondents(site, tmp_path)
    site.start_server()
    assert site.get_status(link) == 200
    # Closed thirteen months ago: the default twelve months have passed.
    site.run(
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; "
        "from kartlegging.surveys.models import Survey; s = Survey.objects.get(slug='drift'); "
        "s.close(); Survey.objects.filter(pk=s.pk).update("
        "closed_at=timezone.now() - dt.timedelta(days=400))",
    )
    site.start_worker()
    log = site.var / "worker.log"
    wait_until(lambda: "Slettedato for drift" in log.read_text(), 30, "the worker's purge")
    emails = site.run(
        "shell",
        "-c",
        "from kartlegging.surveys.models import Respondent; "
        "print(list(Respondent.objects.values_list('name', 'email')))",
    )
    assert emails.stdout.strip().splitlines()[-1] == "[('', '')]"
    assert site.get_status(link) == 404
