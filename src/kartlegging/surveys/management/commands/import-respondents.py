from pathlib import Path

from django.core.management.base import BaseCommand

from kartlegging.core.commands import nothing_imported, read_import_file
from kartlegging.core.csvfiles import ImportProblems
from kartlegging.surveys.importing import import_respondents
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
        try:
            count = import_respondents(found, read_import_file(file))
        except ImportProblems as exc:
            raise nothing_imported(exc) from None
        noun = "respondent" if count == 1 else "respondenter"
        self.stdout.write(f"Importert {count} {noun} til «{found.title}».")
