"""Exports of a survey's answers: CSV and XLSX for Excel, SPSS .sav for researchers.

Every text cell goes through core.spreadsheets, so nothing a respondent typed can
run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile

import pandas as pd
import pyreadstat

from kartlegging.analysis.wide import ID_COLUMNS, wide_answers
from kartlegging.core.spreadsheets import csv_bytes, neutralise, xlsx_bytes
from kartlegging.questionnaires.schema import Questionnaire


def _rows(frame: pd.DataFrame) -> list[list]:
    return [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False)]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def answers_csv(table: pd.DataFrame, questionnaire: Questionnaire) -> bytes:
    frame = wide_answers(table, questionnaire)
    return csv_bytes(list(frame.columns), _rows(frame))


def answers_xlsx(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    frame = wide_answers(table, questionnaire)
    sheets = {"Svar": (list(frame.columns), _rows(frame))}
    questions = [[q.key, q.text, q.type, q.scope] for q in questionnaire.questions]
    sheets["Spørsmål"] = (["nøkkel", "spørsmål", "type", "omfang"], questions)
    for name, extra in (extra_sheets or {}).items():
        sheets[name] = (list(extra.columns), _rows(extra))
    return xlsx_bytes(sheets)


def frequencies_csv(frequencies: pd.DataFrame) -> bytes:
    """The frequency table with `.` as decimal mark; `percent` unrounded (the report rounds
    once, to whole percent), beside `count` and `base` to compute it again from."""
    rows = []
    for row in frequencies.itertuples(index=False):
        rows.append(["" if _missing(v) else v for v in row])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(frequencies.columns))
    for values in rows:
        writer.writerow([neutralise(v) for v in values])
    return out.getvalue().encode("utf-8")


def spss_name(key: str) -> str:
    """SPSS variable names: letters, digits and _; start with a letter; at most 64 bytes."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not name[:1].isalpha():
        name = f"v_{name}"
    return name[:64]


def answers_sav(table: pd.DataFrame, questionnaire: Questionnaire) -> bytes:
    """SPSS file: choices as numeric codes with value labels, multiple choice as 0/1 per option."""
    raw = wide_answers(table, questionnaire, labels=False)
    data: dict[str, list] = {}
    variable_labels: dict[str, str] = {}
    value_labels: dict[str, dict] = {}
    for column in ID_COLUMNS:
        data[column] = ["" if _missing(v) else str(v) for v in raw[column]]
        variable_labels[column] = column
    for question in questionnaire.questions:
        values = list(raw[question.key])
        name = spss_name(question.key)
        if question.is_multiple:
            for option in question.options:
                column = spss_name(f"{question.key}_{option.code}")
                data[column] = [None if _missing(v) else float(option.code in v) for v in values]
                variable_labels[column] = f"{question.text} – {option.text}"[:256]
                value_labels[column] = {0.0: "Ikke valgt", 1.0: "Valgt"}
        elif question.is_choice:
            codes = {o.code: float(i) for i, o in enumerate(question.options, start=1)}
            data[name] = [None if _missing(v) else codes[v] for v in values]
            variable_labels[name] = question.text[:256]
            value_labels[name] = {codes[o.code]: o.text for o in question.options}
        elif question.type in ("heltall", "desimaltall", "prosent"):
            data[name] = [None if _missing(v) else float(v) for v in values]
            variable_labels[name] = question.text[:256]
        else:
            data[name] = ["" if _missing(v) else str(v) for v in values]
            variable_labels[name] = question.text[:256]
    frame = pd.DataFrame(data)
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame, path, column_labels=variable_labels, variable_value_labels=value_labels
        )
        with open(path, "rb") as saved:
            return saved.read()
    finally:
        os.unlink(path)
