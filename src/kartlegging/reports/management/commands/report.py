import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.reports.factsheet import factsheets, factsheets_zip
from kartlegging.reports.inputs import gather
from kartlegging.reports.model import build_report
from kartlegging.reports.render import RENDERERS
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
        inputs = gather(survey)
        if o["format"] == FACTSHEETS:
            sheets = factsheets(inputs, anonymise=o["anonymise"])
            data = factsheets_zip(sheets, {f: RENDERERS[f] for f in ("pdf", "docx")})
            what = f"{len(sheets)} faktaark"
        elif o["organisation"]:
            sheets = factsheets(inputs, anonymise=o["anonymise"], only=o["organisation"])
            if not sheets:
                raise CommandError(
                    f"Kommunen {o['organisation']} er ikke med i kartleggingen «{survey.slug}»."
                )
            data = RENDERERS[o["format"]](sheets[0].report)
            what = "1 faktaark"
        else:
            report = build_report(inputs, anonymise=o["anonymise"])
            data = RENDERERS[o["format"]](report)
            what = f"{len(report.figures)} figurer"
        o["output"].write_bytes(data)
        self.stdout.write(
            f"Skrev {o['output']}: {what}, "
            f"{len(data) // 1024 + 1} KB, {time.perf_counter() - start:.1f} s."
        )
