"""`kartlegging restore FILE`: restore an archive from `kartlegging backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Gjenopprett en sikkerhetskopi til en tom database (stopp tjenestene først)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Arkiv fra «kartlegging backup»")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Erstatt innholdet i en database som ikke er tom (kan ikke angres)",
        )

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            restored = restore(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Gjenopprettet sikkerhetskopien fra {restored.created_at} "
            f"({restored.tables} tabeller). Kjør «kartlegging migrate» hvis programmet er nyere."
        )
