from pathlib import Path

from django.core.management.base import BaseCommand

from kartlegging.core.commands import nothing_imported, read_import_file
from kartlegging.core.csvfiles import ImportProblems
from kartlegging.responses.importing import import_responses
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
        try:
            result = import_responses(found, read_import_file(file))
        except ImportProblems as exc:
            raise nothing_imported(exc) from None
        noun = "besvarelse" if result.count == 1 else "besvarelser"
        message = f"Importert {result.count} {noun} til «{found.title}»."
        if result.missing_required == 1:
            message += " 1 obligatorisk svar mangler."
        elif result.missing_required:
            message += f" {result.missing_required} obligatoriske svar mangler."
        self.stdout.write(message)
