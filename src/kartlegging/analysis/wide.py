"""Raw answers in wide form: one row per response, one column per question key.

Pure: takes the tidy table. Used by the CSV/XLSX/SPSS exports, which people
open in Excel or SPSS, so choices are shown as their option texts here and the
SPSS exporter turns them into numeric codes with value labels.
"""

from __future__ import annotations

from typing import cast

import pandas as pd

from kartlegging.questionnaires.schema import Questionnaire

ID_COLUMNS = ["respons", "organisasjonsnummer", "organisasjon", "type", "storrelse", "rolle"]


def wide_answers(
    table: pd.DataFrame, questionnaire: Questionnaire, *, labels: bool = True
) -> pd.DataFrame:
    """One row per response of this questionnaire; values as option texts when `labels`."""
    own = table[table["questionnaire"] == questionnaire.key]
    keys = [q.key for q in questionnaire.questions]
    rows = []
    for response, group in own.groupby("response", sort=True):
        first = group.iloc[0]
        row = {
            "respons": int(cast(int, response)),  # the groupby key: a response's primary key
            "organisasjonsnummer": first["organisation"],
            "organisasjon": first["organisation_name"],
            "type": first["kind"],
            "storrelse": first["size_class"] or "",
            "rolle": first["respondent_role"],
        }
        for key, value in zip(group["question"], group["value"], strict=True):
            row[key] = _label(questionnaire, key, value) if labels else value
        rows.append(row)
    return pd.DataFrame(rows, columns=ID_COLUMNS + keys)


def _label(questionnaire: Questionnaire, key: str, value):
    question = questionnaire.question(key)
    if question.is_multiple:
        return " | ".join(question.option_text(code) for code in value)
    if question.is_choice:
        return question.option_text(value)
    return value
