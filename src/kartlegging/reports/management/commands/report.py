import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.reports.inputs import gather
from kartlegging.reports.render import RENDERERS, document
from kartlegging.surveys.management.lookup import survey_or_error

FACTSHEETS = "factsheets"


class Command(BaseCommand):
    help = (
        "Lag rapporten som HTML, PDF eller Word (docx), eller faktaark for kommunene "
        "(factsheets: en ZIP med PDF og Word per kommune)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", required=True, choices=[*sorted(RENDERERS), FACTSHEETS])
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Erstatt organisasjonsnavn med «Stor kommune 1» osv.",
        )
        parser.add_argument(
            "--organisation",
            help="Bare faktaarket for denne kommunen (nummer); da er formatet pdf eller docx.",
        )
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, **o):
        survey = survey_or_error(o["survey"])
        start = time.perf_counter()
        try:
            data, what = document(
                gather(survey),
                "zip" if o["format"] == FACTSHEETS else o["format"],
                organisation=o["organisation"] or "",
                anonymise=o["anonymise"],
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        o["output"].write_bytes(data)
        self.stdout.write(
            f"Skrev {o['output']}: {what}, "
            f"{len(data) // 1024 + 1} KB, {time.perf_counter() - start:.1f} s."
        )
