"""Frequency tables: how many answered each option, of how many, in which group.

Pure functions over the tidy table from kartlegging.analysis.table. The base of
a question is the number of responses that answered it, so a respondent who
skipped a question (or had it hidden) is not counted against any option. Split
tables hide groups with fewer answers than min_n, so a single municipality's
answer cannot be read out of a "small municipalities" column.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from typing import Any, Literal

import pandas as pd
from django.utils.translation import gettext as _

from kartlegging.core.text import is_digits
from kartlegging.organisations.sizes import DEFAULT_BOUNDARIES, LARGE, MEDIUM, SMALL
from kartlegging.organisations.sizes import size_class_label as _size_label
from kartlegging.questionnaires.schema import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    VET_IKKE,
    Question,
    Questionnaire,
)

FREQUENCY_COLUMNS = [
    "question",
    "question_text",
    "option",
    "option_text",
    "count",
    "base",
    "percent",
    "group",
]
ALL = "alle"
STATISTICS = ("n", "mean", "median", "min", "max", "sum")
KIND_ORDER = ("kommune", "helseforetak", "annet")
SIZE_ORDER = (SMALL, MEDIUM, LARGE)

Split = Literal["size", "kind", "organisation"] | None


def clean(value: Any) -> Any:
    """None for pandas' missing markers (pandas 3 turns None in text columns into NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(table: pd.DataFrame, questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Rows of the table for this questionnaire's questions, as plain dicts with None for missing.

    Only question keys are checked: a table that mixes questionnaires sharing keys
    should be filtered on its questionnaire column first.
    """
    if table.empty:
        return []
    subset = table[table["question"].isin([q.key for q in questionnaire.questions])]
    rows = [{str(k): clean(v) for k, v in row.items()} for row in subset.to_dict("records")]
    return sorted(rows, key=lambda r: r["response"])


def organisation_sort_key(number: str) -> tuple[int, int, str]:
    """Municipality numbers sort as numbers ("301" before "1101"), other ids after them."""
    text = str(number)
    return (0, int(text), text) if is_digits(text) else (1, 0, text)


def kind_label(kind: str | None) -> str:
    labels = {"kommune": _("Kommune"), "helseforetak": _("Helseforetak"), "annet": _("Annet")}
    return labels.get(kind or "", kind or _("Ukjent"))


def frequency_table(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    by: Split = None,
    exclude_dont_know: bool = False,
    min_n: int = 3,
    size_boundaries: tuple[int, int] = DEFAULT_BOUNDARIES,
) -> pd.DataFrame:
    """Counts and percentages per option (closed questions) and statistics (numbers).

    One block of rows per group (group-major), each block in questionnaire order.
    In split tables a group whose base for a question is below min_n shows no
    numbers: count and percent are None and base is the text "færre enn N".
    """
    rows = records(table, questionnaire)
    questions = [
        q
        for q in questionnaire.questions
        if (q.type in CHOICE_TYPES or q.type in NUMBER_TYPES)
        and any(r["question"] == q.key for r in rows)
    ]
    out: list[list[Any]] = []
    for group, members in _groups(rows, by, size_boundaries):
        for question in questions:
            answers = [r for r in members if r["question"] == question.key]
            if question.type in CHOICE_TYPES:
                block = _closed_rows(question, answers, exclude_dont_know)
            else:
                block = _number_rows(question, answers)
            base = block[0][5] if block else 0
            if by is not None and base < min_n:
                block = [
                    [*row[:4], None, _("færre enn %(n)s") % {"n": min_n}, None] for row in block
                ]
            out.extend([*row, group] for row in block)
    return pd.DataFrame(out, columns=FREQUENCY_COLUMNS, dtype=object)


def _groups(
    rows: list[dict[str, Any]], by: Split, boundaries: tuple[int, int]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """(label, rows) per group in a fixed order; hospitals drop out of a size split."""
    if by is None:
        return [(ALL, rows)]
    column = {"size": "size_class", "kind": "kind", "organisation": "organisation"}.get(by)
    if column is None:
        raise ValueError(f"unknown split {by!r}")
    label: Callable[[Any], str]
    if by == "size":
        order = list(SIZE_ORDER)

        def label(size: Any) -> str:
            return _size_label(size, boundaries)

    elif by == "kind":
        order, label = list(KIND_ORDER), kind_label
    else:
        names = {r["organisation"]: r["organisation_name"] or str(r["organisation"]) for r in rows}
        order, label = sorted(names, key=organisation_sort_key), names.__getitem__
    present = {r[column] for r in rows} - {None}
    order += sorted((v for v in present if v not in order), key=str)  # unexpected: last
    return [(label(v), [r for r in rows if r[column] == v]) for v in order if v in present]


def _codes(value: Any) -> set[str]:
    return {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}


def _closed_rows(
    question: Question, answers: Iterable[dict[str, Any]], exclude_dont_know: bool
) -> list[list[Any]]:
    by_response: dict[Any, set[str]] = {}
    for row in answers:
        by_response.setdefault(row["response"], set()).update(_codes(row["value"]))
    counted = [
        codes
        for codes in by_response.values()
        if not (exclude_dont_know and codes == {VET_IKKE})  # only "Vet ikke": out of the base
    ]
    base = len(counted)
    rows = []
    for option in question.options:
        count = sum(option.code in codes for codes in by_response.values())
        hidden = exclude_dont_know and option.code == VET_IKKE
        percent = None if hidden or base == 0 else round(100 * count / base, 1)
        rows.append([question.key, question.text, option.code, option.text, count, base, percent])
    return rows


def _number_rows(question: Question, answers: Iterable[dict[str, Any]]) -> list[list[Any]]:
    by_response = {
        r["response"]: float(r["value"])
        for r in answers
        if isinstance(r["value"], (int, float)) and not isinstance(r["value"], bool)
    }
    values = list(by_response.values())
    n = len(values)
    texts = {
        "n": _("Antall svar"),
        "mean": _("Gjennomsnitt"),
        "median": _("Median"),
        "min": _("Minste"),
        "max": _("Største"),
        "sum": _("Sum"),
    }
    stats: dict[str, Any] = {"n": n}
    if values:
        stats |= {
            "mean": statistics.fmean(values),
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "sum": math.fsum(values),
        }
    return [
        [
            question.key,
            question.text,
            name,
            texts[name],
            stats[name] if name == "n" else _round(stats.get(name)),
            n,
            None,
        ]
        for name in STATISTICS
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def format_percent(value: float | None) -> str:
    """Norwegian percentage: decimal comma, space before %, no decimal when it is whole."""
    value = clean(value)
    if value is None:
        return "–"
    rounded = round(float(value), 1)
    if rounded.is_integer():
        return f"{int(rounded)} %"
    return f"{rounded:.1f} %".replace(".", ",")
