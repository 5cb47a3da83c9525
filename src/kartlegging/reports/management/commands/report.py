import time
from pathlib import Path

from django.core.management.base import BaseCommand

from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_docx, to_html, to_pdf
from kartlegging.surveys.management.lookup import survey_or_error

RENDERERS = {"html": lambda r: to_html(r).encode("utf-8"), "pdf": to_pdf, "docx": to_docx}


class Command(BaseCommand):
    help = "Lag rapporten som HTML, PDF eller Word (docx)."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", required=True, choices=sorted(RENDERERS))
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Erstatt organisasjonsnavn med «Stor kommune 1» osv.",
        )
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, **o):
        survey = survey_or_error(o["survey"])
        start = time.perf_counter()
        report = report_for(survey, anonymise=o["anonymise"])
        data = RENDERERS[o["format"]](report)
        o["output"].write_bytes(data)
        self.stdout.write(
            f"Skrev {o['output']}: {len(report.figures)} figurer, "
            f"{len(data) // 1024 + 1} KB, {time.perf_counter() - start:.1f} s."
        )
