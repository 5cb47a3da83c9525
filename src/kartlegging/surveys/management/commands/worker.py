"""`kartlegging worker`: send queued e-mails and the automatic reminders, until stopped."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kartlegging.surveys import mail


class Command(BaseCommand):
    help = "Behandle køen (e-post) og send automatiske påminnelser. Stopp med Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Sekunder mellom hver runde (standard 5)"
        )
        parser.add_argument("--once", action="store_true", help="Én runde, så avslutt")

    def handle(self, *args, interval: float, once: bool, **options):
        self.stdout.write("Arbeideren kjører: sender e-post fra køen.")
        try:
            while True:
                for slug, count in mail.queue_scheduled_reminders().items():
                    self.stdout.write(f"Automatiske påminnelser for {slug}: {count}")
                call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Arbeideren er stoppet.")
