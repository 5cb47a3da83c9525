"""`kartlegging backup -o FILE`: one consistent archive of the database and files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Ta sikkerhetskopi av databasen og filene til én fil, også mens tjenesten kjører."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, type=Path, help="Arkivfil (.tar.gz)")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = manifest["size"] / 1024 / 1024
        self.stdout.write(
            f"Sikkerhetskopi skrevet til {output} ({size:.1f} MB, {manifest['engine']})."
        )
