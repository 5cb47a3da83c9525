from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.commands import nothing_imported, read_import_file
from kartlegging.core.csvfiles import CsvError, ImportProblems
from kartlegging.organisations.importing import import_organisations


class Command(BaseCommand):
    help = (
        "Importer organisasjoner fra CSV (nummer,navn,type,innbyggere,fylke). Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--aar",
            type=int,
            default=2024,
            help="Året innbyggertallet gjelder (1. januar). Standard: 2024.",
        )

    def handle(self, *args, file: Path, aar: int, **options):
        try:
            result = import_organisations(read_import_file(file), year=aar)
        except CsvError as exc:  # a file-level problem reads best on its own line
            raise CommandError(str(exc)) from None
        except ImportProblems as exc:
            raise nothing_imported(exc) from None
        self.stdout.write(f"Importert: {result.created} nye, {result.updated} oppdatert.")
