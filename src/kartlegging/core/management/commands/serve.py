"""`kartlegging serve`: the production web server (gunicorn)."""

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.server import KartleggingServer, default_workers, server_options


class Command(BaseCommand):
    help = "Kjør webserveren (gunicorn) slik den skal kjøre i drift. Stopp med Ctrl+C."
    requires_system_checks = []  # the app's checks run in every gunicorn worker anyway

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="Adresse og port (standard 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Antall prosesser (standard: WEB_CONCURRENCY eller 2 × kjerner + 1, høyst 8)",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="Sekunder før en hengende forespørsel stoppes"
        )

    def handle(self, *args, bind: str, workers: int | None, timeout: int, **options):
        try:
            workers = workers if workers is not None else default_workers()
        except ValueError:
            raise CommandError("WEB_CONCURRENCY må være et heltall.") from None
        if workers < 1:
            raise CommandError("--workers må være minst 1.")
        KartleggingServer(server_options(bind, workers, timeout)).run()
