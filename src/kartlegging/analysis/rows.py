"""The tidy table (analysis/table.py) as plain rows, and the order organisations sort in.

Shared by every pure analysis module, so none of them has to import another for these.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from kartlegging.core.text import is_digits
from kartlegging.questionnaires.schema import Questionnaire


def clean(value: Any) -> Any:
    """None for pandas' missing markers (pandas 3 turns None in text columns into NaN)."""
    if value is None or (type(value) is float and math.isnan(value)):
        return None
    return value


def records(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    keys: Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the table for this questionnaire's questions (or only `keys` of them), as plain
    dicts with None for missing, in response order; only `columns` when given.

    Only question keys are checked: a table that mixes questionnaires sharing keys
    should be filtered on its questionnaire column first. Built from whole columns: pandas'
    to_dict boxes every value and took most of a national report's time.
    """
    if table.empty:
        return []
    wanted = [q.key for q in questionnaire.questions] if keys is None else list(keys)
    subset = table[table["question"].isin(wanted)]
    names = [str(c) for c in subset.columns] if columns is None else list(columns)
    values = [_plain(subset[name]) for name in names]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    return sorted(rows, key=lambda r: r["response"])


def _plain(column: pd.Series) -> list[Any]:
    """The column's values with None for pandas' missing markers, in one pass over the column."""
    values = column.tolist()
    return [clean(value) for value in values] if column.hasnans else values


def organisation_sort_key(number: str) -> tuple[int, int, str]:
    """Municipality numbers sort as numbers ("301" before "1101"), other ids after them."""
    text = str(number)
    return (0, int(text), text) if is_digits(text) else (1, 0, text)
