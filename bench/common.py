"""Shared set-up for the benchmarks: a throwaway database with every Norwegian municipality.

Call `national_survey()` first in a benchmark: it configures Django (a temporary SQLite
file unless DATABASE_URL is set), migrates, imports ../shared/data/kommuner.csv and
returns an open survey of the default questionnaire covering all 357 municipalities.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def national_survey(**fields):
    tmp = tempfile.mkdtemp(prefix="kartlegging-bench-")
    os.environ.setdefault("KARTLEGGING_MODE", "test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartlegging.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kartlegging.organisations.importing import import_organisations
    from kartlegging.organisations.models import Organisation
    from kartlegging.questionnaires.models import load_questionnaire
    from kartlegging.surveys.models import Survey

    call_command("migrate", verbosity=0)
    import_organisations((ROOT.parent / "shared/data/kommuner.csv").read_bytes(), year=2024)
    version, _created = load_questionnaire(
        (ROOT / "questionnaires/palliasjon-kommune.yaml").read_text(encoding="utf-8"))
    survey = Survey.objects.create(slug="norge", questionnaire=version, **fields)
    survey.organisations.set(Organisation.objects.all())
    survey.open()
    return survey


def fill_answers(survey, per_organisation: int) -> None:
    """N respondents per organisation, each with a complete set of invented answers."""
    import random
    import time

    from django.utils import timezone

    from kartlegging.questionnaires.answers import parse_answer
    from kartlegging.responses.models import Answer, Response
    from kartlegging.responses.demo import invent_value
    from kartlegging.surveys.models import Respondent

    questionnaire = survey.questionnaire.definition
    organisations = list(survey.organisations.all())
    rng = random.Random(357)  # noqa: S311
    start = time.perf_counter()
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        Respondent(survey=survey, organisation=org, name=f"Person {i}",
                   email=f"p{org.number}-{i}@kommune.example", role="Sykepleier")
        for org in organisations for i in range(per_organisation))
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
