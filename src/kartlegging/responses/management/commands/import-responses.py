from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.csvfiles import CsvError
from kartlegging.responses.importing import ResponseImportError, import_responses
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = (
        "Importer besvarelser samlet inn på annen måte (eksport fra annet verktøy, papirskjema) "
        "fra CSV: kolonnen organisasjon, valgfritt respondent_navn, respondent_epost, rolle og "
        "innsendt, og ellers én kolonne per spørsmålsnøkkel. Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, help="Kortnavnet til kartleggingen")
        parser.add_argument("file", type=Path)

    def handle(self, *args, survey: str, file: Path, **options):
        found = survey_or_error(survey)
        if not file.is_file():
            raise CommandError(f"Fant ikke filen {file}.")
        try:
            result = import_responses(found, file.read_bytes())
        except CsvError as exc:
            problems = [str(exc)]
        except ResponseImportError as exc:
            problems = exc.problems
        else:
            noun = "besvarelse" if result.count == 1 else "besvarelser"
            message = f"Importert {result.count} {noun} til «{found.title}»."
            if result.missing_required == 1:
                message += " 1 obligatorisk svar mangler."
            elif result.missing_required:
                message += f" {result.missing_required} obligatoriske svar mangler."
            self.stdout.write(message)
            return
        raise CommandError("Ingenting ble importert. Rett opp dette:\n  " + "\n  ".join(problems))
