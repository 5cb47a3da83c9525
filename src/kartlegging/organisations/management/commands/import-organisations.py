from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.commands import nothing_imported, read_import_file
from kartlegging.core.csvfiles import CsvError, ImportProblems
from kartlegging.organisations.importing import import_organisations

DEFAULT_YEAR = 2024


class Command(BaseCommand):
    help = (
        "Importer organisasjoner fra CSV eller Excel (nummer,navn,type,innbyggere,fylke), "
        "eller kommunene fra SSB-tabell 07459 (JSON-stat2 eller CSV fra Statistikkbanken). "
        "Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--aar",
            type=int,
            default=None,
            help=(
                "Året innbyggertallet gjelder (1. januar) for en egen tabell. Standard: "
                f"{DEFAULT_YEAR}. Filer fra SSB har året selv."
            ),
        )

    def handle(self, *args, file: Path, aar: int | None, **options):
        try:
            result = import_organisations(
                read_import_file(file), year=aar, fallback_year=DEFAULT_YEAR
            )
        except CsvError as exc:  # a file-level problem reads best on its own line
            raise CommandError(str(exc)) from None
        except ImportProblems as exc:
            raise nothing_imported(exc) from None
        self.stdout.write(result.summary)
