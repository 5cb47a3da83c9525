from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.reports.exporting import FORMATS, export
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = "Eksporter svarene: csv, xlsx, sav (SPSS) eller frequencies (frekvenstabell som CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--by",
            choices=["size", "kind", "organisation"],
            help="Del frekvensene etter størrelse, type eller organisasjon",
        )
        parser.add_argument("--questionnaire", help="Skjemaets nøkkel (standard: hovedskjemaet)")
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, **o):
        survey = survey_or_error(o["survey"])
        try:
            data = export(survey, o["format"], by=o["by"], questionnaire_key=o["questionnaire"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        o["output"].write_bytes(data)
        self.stdout.write(f"Skrev {o['output']} ({len(data) // 1024 + 1} KB).")
