"""What a respondent's double click or second tab does to the real server and worker."""

from __future__ import annotations

import threading
import time

from tests.system.conftest import Respondent, survey_with_respondents

REQUIRED = [
    ("om_deg", "respondent_rolle", "koordinator"),
    ("organisering_koordinator", "koord_finnes", "ja"),
    ("organisering_koordinator", "team_finnes", "ja"),
    ("organisering_senger", "enhet_finnes", "nei"),
]
PARALLEL = 8


def test_parallel_submits_send_one_receipt(site, smtp, tmp_path):
    inbox = smtp[0]
    (link,) = survey_with_respondents(site, tmp_path)
    site.start_server(workers=4)
    site.start_worker()
    respondent = Respondent(site, link)
    for section, key, value in REQUIRED:
        assert respondent.save(section, key, value), key

    start, statuses = threading.Barrier(PARALLEL), []

    def submit() -> None:
        start.wait()
        reply = respondent.open("send-inn/", {"csrfmiddlewaretoken": respondent.csrf})
        statuses.append(reply.status)

    threads = [threading.Thread(target=submit) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * PARALLEL  # each followed the redirect to the receipt page
    inbox.wait_for("kari@horten.example", "Kvittering")
    time.sleep(3)  # time for any second receipt to arrive as well
    receipts = [m for m in inbox.messages if "Kvittering" in m["Subject"]]
    assert len(receipts) == 1
