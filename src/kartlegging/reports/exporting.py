"""The exports a survey offers, by name: used by the command line and the download page."""

from __future__ import annotations

import json

import pandas as pd

from kartlegging.analysis.facts import organisation_facts
from kartlegging.analysis.frequencies import frequency_table
from kartlegging.analysis.models import FactChoice
from kartlegging.analysis.table import build_table
from kartlegging.questionnaires import fhir
from kartlegging.questionnaires.answers import display_value
from kartlegging.reports import exports
from kartlegging.surveys.models import Survey

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sav": ("application/x-spss-sav", "sav"),
    "frequencies": ("text/csv; charset=utf-8", "csv"),
    "fhir": ("application/fhir+json; charset=utf-8", "json"),
}


def questionnaire_of(survey: Survey, key: str | None):
    for version in survey.questionnaire_versions():
        if key in (None, version.key):
            return version.definition
    raise ValueError(f"Kartleggingen bruker ikke spørreskjemaet «{key}».")


def frequencies(survey: Survey, questionnaire, by: str | None) -> pd.DataFrame:
    table = build_table(survey)
    own = table[table["questionnaire"] == questionnaire.key]
    choices = FactChoice.choices_for(survey)
    parts = [
        frequency_table(own, questionnaire, size_boundaries=survey.boundaries, choices=choices)
    ]
    if by:
        parts.append(
            frequency_table(
                own, questionnaire, by=by, size_boundaries=survey.boundaries, choices=choices
            )
        )
    return pd.concat(parts, ignore_index=True)


def facts_frame(survey: Survey, table: pd.DataFrame, questionnaire) -> pd.DataFrame:
    """One row per organisation and fact question: the agreed or chosen value, or all answers."""
    rows = []
    for fact in organisation_facts(table, questionnaire, FactChoice.choices_for(survey)):
        question = questionnaire.question(fact.question)
        answers = "; ".join(
            f"{display_value(question, v)} ({role or 'ukjent rolle'})"
            for _response, role, v in fact.values
        )
        rows.append(
            [
                fact.organisation_name,
                fact.organisation,
                fact.question,
                question.text,
                display_value(question, fact.value) if fact.value is not None else "",
                "ja" if fact.disputed else "nei",
                "ja" if fact.chosen_by_leader else "nei",
                answers,
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "organisasjon",
            "organisasjonsnummer",
            "spørsmål",
            "spørsmålstekst",
            "verdi",
            "ulike svar",
            "valgt av prosjektleder",
            "alle svar",
        ],
    )


def fhir_responses(survey: Survey, table: pd.DataFrame, questionnaire) -> bytes:
    """Each submitted response as a FHIR QuestionnaireResponse, in one Bundle (collection).
    No names or addresses: a response is known by the survey and a number."""
    version = next(v for v in survey.questionnaire_versions() if v.key == questionnaire.key)
    own = table[table["questionnaire"] == questionnaire.key]
    entries = []
    for response, rows in own.groupby("response", sort=True):
        answers = dict(zip(rows["question"], rows["value"], strict=True))
        resource = fhir.to_fhir_response(
            questionnaire,
            answers,
            identifier=f"{survey.slug}-{response}",
            authored=None,
            version=version.version,
        )
        entries.append({"resource": resource})
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8")


def export(
    survey: Survey, fmt: str, *, by: str | None = None, questionnaire_key: str | None = None
) -> bytes:
    questionnaire = questionnaire_of(survey, questionnaire_key)
    if fmt == "frequencies":
        return exports.frequencies_csv(frequencies(survey, questionnaire, by))
    table = build_table(survey)
    if fmt == "csv":
        return exports.answers_csv(table, questionnaire)
    if fmt == "xlsx":
        own = table[table["questionnaire"] == questionnaire.key]
        sheets = {
            "Frekvenser": frequency_table(
                own,
                questionnaire,
                size_boundaries=survey.boundaries,
                choices=FactChoice.choices_for(survey),
            ),
            "Fakta per organisasjon": facts_frame(survey, own, questionnaire),
        }
        return exports.answers_xlsx(table, questionnaire, extra_sheets=sheets)
    if fmt == "sav":
        return exports.answers_sav(table, questionnaire)
    if fmt == "fhir":
        return fhir_responses(survey, table, questionnaire)
    raise ValueError(f"Ukjent format «{fmt}».")
