from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.core.csvfiles import CsvError
from kartlegging.surveys.importing import RespondentImportError, import_respondents
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = (
        "Importer respondenter til en kartlegging fra CSV (navn,epost,rolle,organisasjon). "
        "Alt eller ingenting. Lenker lages først når invitasjonene sendes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, help="Kortnavnet til kartleggingen")
        parser.add_argument("file", type=Path)

    def handle(self, *args, survey: str, file: Path, **options):
        found = survey_or_error(survey)
        if not file.is_file():
            raise CommandError(f"Fant ikke filen {file}.")
        try:
            count = import_respondents(found, file.read_bytes())
        except CsvError as exc:
            problems = [str(exc)]
        except RespondentImportError as exc:
            problems = exc.problems
        else:
            noun = "respondent" if count == 1 else "respondenter"
            self.stdout.write(f"Importert {count} {noun} til «{found.title}».")
            return
        raise CommandError("Ingenting ble importert. Rett opp dette:\n  " + "\n  ".join(problems))
