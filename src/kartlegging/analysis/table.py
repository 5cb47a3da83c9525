"""All answers of a survey as one tidy table: one row per counted answer.

This is the only analysis module that reads the database; everything after it
is pure functions over the DataFrame it returns. Hidden (conditional) answers
are left out, so every later count is of answers the respondent was shown.

Columns (see COLUMNS): response, respondent_role, organisation (number),
organisation_name, kind, size_class ('liten' / 'mellomstor' / 'stor', or None
for organisations that are not municipalities), questionnaire, question,
theme, scope, type, value (as stored: option code, list of codes, number or
text), submitted (False only when started responses are included on request).
"""

from __future__ import annotations

import json

import pandas as pd
from django.db.models import TextField
from django.db.models.functions import Cast

from kartlegging.questionnaires.schema import Questionnaire
from kartlegging.responses.models import Answer, Response
from kartlegging.surveys.models import Survey

COLUMNS = [
    "response",
    "respondent_role",
    "organisation",
    "organisation_name",
    "kind",
    "size_class",
    "questionnaire",
    "question",
    "theme",
    "scope",
    "type",
    "value",
    "submitted",
]


def build_table(
    survey: Survey, *, include_started: bool = False, organisation: str | None = None
) -> pd.DataFrame:
    """The table for the survey, or only for one organisation (by number) when given."""
    statuses = [Response.Status.SUBMITTED]
    if include_started:
        statuses.append(Response.Status.STARTED)
    found = Response.objects.filter(respondent__survey=survey, status__in=statuses)
    if organisation is not None:
        found = found.filter(respondent__organisation__number=organisation)
    responses = {r.pk: r for r in found.select_related("respondent__organisation")}
    answers: dict[int, dict] = {pk: {} for pk in responses}
    # The values as JSON text, decoded in one call: a million json.loads calls (one per
    # answer, as the JSON field does) took a third of a county survey's report.
    found_answers = (
        Answer.objects.filter(response_id__in=responses, value__isnull=False)
        .annotate(text=Cast("value", TextField()))
        .values_list("response_id", "question_key", "text")
    )
    ids, keys, texts = zip(*found_answers, strict=True) if found_answers else ((), (), ())
    values = json.loads(f"[{','.join(texts)}]")
    for response_id, key, value in zip(ids, keys, values, strict=True):
        answers[response_id][key] = value
    del found_answers, ids, keys, texts, values  # a million of each: free them before the rows
    definitions: dict[int, Questionnaire] = {}
    # Per version, what each question contributes to every row: theme, scope and type.
    described: dict[int, dict[str, tuple[str, str, str]]] = {}
    rows = []
    for pk, response in responses.items():
        org = response.respondent.organisation
        version = survey.questionnaire_for(org)
        questionnaire = definitions.setdefault(version.pk, version.definition)
        if version.pk not in described:
            described[version.pk] = {
                q.key: (section.theme, q.scope, q.type)
                for section in questionnaire.sections
                for q in section.questions
            }
        about = described[version.pk]
        visible = questionnaire.visible_keys(answers[pk])
        where = (
            pk,
            response.respondent.role,
            org.number,
            org.name,
            org.kind,
            org.size_class(survey.boundaries),
            version.key,
        )
        submitted = response.status == Response.Status.SUBMITTED
        for key, value in answers[pk].items():
            if key not in visible or value in ("", []):
                continue
            rows.append((*where, key, *about[key], value, submitted))
    del answers
    return pd.DataFrame(rows, columns=COLUMNS)
