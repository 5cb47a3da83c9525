"""`kartlegging worker`: run queued tasks (e-mail, reports), automatic reminders, and deletion
of personal data on each survey's deletion date (surveys/privacy.py).

Each round first requeues tasks whose worker died (core/workers.py), then runs what is
queued. SIGTERM (systemd stop) lets the running task finish; SIGKILL is recovered from.
"""

import signal
import sys
import time

from django.core.management.base import BaseCommand

from kartlegging.core import workers
from kartlegging.responses import followup
from kartlegging.surveys import privacy


class Command(BaseCommand):
    help = (
        "Behandle køen (e-post, rapporter), send automatiske påminnelser og slett "
        "personopplysninger på slettedatoen. Stopp med Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Sekunder mellom hver runde (standard 5)"
        )
        parser.add_argument("--once", action="store_true", help="Én runde, så avslutt")

    def handle(self, *args, interval: float, once: bool, **options):
        # Until the first batch takes over the signals (and between its tasks): a stop while
        # recovering, reminding or purging is a clean stop, not a kill (each runs in a
        # transaction that simply rolls back).
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, lambda _signum, _frame: sys.exit(0))
        worker_id = workers.new_worker_id()
        heartbeat = None
        try:
            heartbeat = workers.HeartbeatThread(worker_id)
            heartbeat.start()
            self.stdout.write("Arbeideren kjører: sender e-post og lager rapporter fra køen.")
            while True:
                recovered = workers.recover_abandoned_tasks()
                if any(recovered.values()):
                    self.stdout.write(
                        "Oppgaver etter en stoppet arbeider: {requeued} lagt i kø igjen, "
                        "{failed} markert som feilet.".format(**recovered)
                    )
                for slug, count in followup.queue_scheduled_reminders().items():
                    self.stdout.write(f"Automatiske påminnelser for {slug}: {count}")
                for slug, done in privacy.purge_due().items():
                    self.stdout.write(
                        f"Slettedato for {slug}: personopplysninger om {done.respondents} "
                        "respondenter slettet."
                    )
                # One batch: run what is queued now, then come back for reminders and recovery.
                batch = workers.batch(worker_id)
                batch.configure_signals()  # SIGTERM: finish the running task, then stop
                batch.run()
                if once or not batch.running:
                    break
                time.sleep(interval)
        except (KeyboardInterrupt, SystemExit):
            pass  # a signal while idle: stop as after a batch
        finally:
            if heartbeat is not None:
                heartbeat.stop()
        self.stdout.write("Arbeideren er stoppet.")
