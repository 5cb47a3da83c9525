"""Benchmark: the report (inputs, model, PDF, DOCX) and the fact sheets of a large survey.

Run: .venv/bin/python bench/report.py [--per-organisation 5] [--county Innlandet]
         [--formats pdf,docx,factsheets]
357 municipalities from ../shared/data/kommuner.csv (or one county's) × N respondents,
each with a complete set of invented answers to the default questionnaire (conditions
respected), in a throwaway SQLite database. Prints wall time per step, page counts and the
peak memory of the process. Bounded: one build per format, no network.
"""

from __future__ import annotations

import argparse
import io
import resource
import time

from common import fill_answers, national_survey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-organisation", type=int, default=5)
    parser.add_argument("--county", help="only this county's municipalities, e.g. Innlandet")
    parser.add_argument("--formats", default="pdf,docx,factsheets")
    args = parser.parse_args()
    survey = national_survey(title="Palliasjon i Norges kommuner", owner_name="Benchmark")
    from pypdf import PdfReader

    from kartlegging.reports.factsheet import factsheets
    from kartlegging.reports.inputs import gather
    from kartlegging.reports.model import build_report
    from kartlegging.reports.render import to_docx, to_pdf

    if args.county:
        survey.organisations.set(survey.organisations.filter(county=args.county))
    fill_answers(survey, args.per_organisation)

    start = time.perf_counter()
    inputs = gather(survey)
    print(f"inputs: {time.perf_counter() - start:.1f} s ({len(inputs.organisations)} organisations)")
    start = time.perf_counter()
    report = build_report(inputs)
    print(f"model: {time.perf_counter() - start:.1f} s, {len(report.sections)} sections, "
          f"{len(report.figures)} figures")
    for fmt in args.formats.split(","):
        start = time.perf_counter()
        if fmt == "factsheets":
            sheets = factsheets(inputs)
            first = to_pdf(sheets[0].report)
            print(f"factsheets: model {time.perf_counter() - start:.1f} s for {len(sheets)}, "
                  f"one PDF {len(PdfReader(io.BytesIO(first)).pages)} pages")
            continue
        data = {"pdf": to_pdf, "docx": to_docx}[fmt](report)
        extra = ""
        if fmt == "pdf":
            extra = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
        print(f"{fmt}: {time.perf_counter() - start:.1f} s, {len(data) // 1024} KB{extra}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory: {peak} MB")


if __name__ == "__main__":
    main()
