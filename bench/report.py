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
import random
import time

from common import national_survey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-organisation", type=int, default=5)
    parser.add_argument("--formats", default="pdf,docx")
    args = parser.parse_args()
    survey = national_survey(title="Palliasjon i Norges kommuner", owner_name="Benchmark")
    from django.utils import timezone
    from pypdf import PdfReader

    from kartlegging.questionnaires.answers import parse_answer
    from kartlegging.reports.model import build_report
    from kartlegging.reports.render import to_docx, to_pdf
    from kartlegging.responses.models import Answer, Response
    from kartlegging.surveys.demo import invent_value
    from kartlegging.surveys.models import Respondent

    questionnaire = survey.questionnaire.definition
    organisations = list(survey.organisations.all())
    rng = random.Random(357)  # noqa: S311
    start = time.perf_counter()
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        Respondent(survey=survey, organisation=org, name=f"Person {i}",
                   email=f"p{org.number}-{i}@kommune.example", role="Sykepleier")
        for org in organisations for i in range(args.per_organisation))
    responses = Response.objects.bulk_create(
        Response(respondent=r, status="levert", submitted_at=now, updated_at=now)
        for r in respondents)
    answers = []
    for response in responses:
        given: dict = {}
        for question in questionnaire.questions:  # questionnaire order: conditions look back
            if question.key in questionnaire.visible_keys(given) and rng.random() > 0.1:
                given[question.key] = parse_answer(question, invent_value(question, rng))
        answers += [Answer(response=response, question_key=k, value=v, version=1)
                    for k, v in given.items() if v is not None]
    Answer.objects.bulk_create(answers, batch_size=5000)
    print(f"data: {len(responses)} responses, {len(answers)} answers "
          f"({time.perf_counter() - start:.0f} s)")

    start = time.perf_counter()
    report = build_report(survey)
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
