"""Benchmark: the report (model, PDF, DOCX) for a simulated national survey.

Run: .venv/bin/python bench/report.py [--per-organisation 5] [--formats pdf,docx]
357 municipalities from ../shared/data/kommuner.csv × N respondents, each with a
complete set of invented answers to the default questionnaire (conditions
respected), in a throwaway SQLite database. Reports wall time per step and page
counts. Bounded: one build per format, no network.
"""

from __future__ import annotations

import argparse
import io
import time

from common import fill_answers, national_survey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-organisation", type=int, default=5)
    parser.add_argument("--formats", default="pdf,docx")
    args = parser.parse_args()
    survey = national_survey(title="Palliasjon i Norges kommuner", owner_name="Benchmark")
    from pypdf import PdfReader

    from kartlegging.reports.inputs import report_for
    from kartlegging.reports.render import to_docx, to_pdf

    fill_answers(survey, args.per_organisation)

    start = time.perf_counter()
    report = report_for(survey)
    print(f"model: {time.perf_counter() - start:.1f} s, {len(report.sections)} sections, "
          f"{len(report.figures)} figures")
    for fmt in args.formats.split(","):
        start = time.perf_counter()
        data = {"pdf": to_pdf, "docx": to_docx}[fmt](report)
        extra = ""
        if fmt == "pdf":
            extra = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
        print(f"{fmt}: {time.perf_counter() - start:.1f} s, {len(data) // 1024} KB{extra}")


if __name__ == "__main__":
    main()
