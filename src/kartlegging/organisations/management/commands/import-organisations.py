from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.csvfiles import CsvError
from kartlegging.organisations.importing import OrganisationImportError, import_organisations


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
        if not file.exists():
            raise CommandError(f"Fant ikke filen {file}.")
        try:
            result = import_organisations(file.read_bytes(), year=aar)
        except CsvError as exc:
            raise CommandError(str(exc)) from None
        except OrganisationImportError as exc:
            raise CommandError(
                "Ingenting ble importert. Rett opp dette:\n  " + "\n  ".join(exc.problems)
            ) from None
        self.stdout.write(f"Importert: {result.created} nye, {result.updated} oppdatert.")
