"""Facts about an organisation (beds, positions, routines) agreed across its respondents.

Questions with scope 'organisasjon' ask about the municipality, not the person,
so several respondents from one place should give the same answer. When they
do not, the fact is disputed and the project leader picks the value to use;
that choice is passed in (this module stores nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kartlegging.analysis.rows import organisation_sort_key, records
from kartlegging.questionnaires.schema import Questionnaire

OrganisationNumber = str
QuestionKey = str


@dataclass
class Fact:
    organisation: OrganisationNumber
    organisation_name: str
    question: QuestionKey
    # (response id, respondent role, value) per answer, in response order.
    values: list[tuple[int, str, Any]] = field(default_factory=list)
    value: Any = None  # the agreed (or chosen) value; None while disputed
    disputed: bool = False
    chosen_by_leader: bool = False


def same_value_key(value: Any) -> Any:
    """Comparable form of an answer: multiple-choice lists compare as sets."""
    if isinstance(value, (list, tuple)):
        return frozenset(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 40 and 40.0 are the same number of beds
    return value


def organisation_facts(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    choices: dict[tuple[OrganisationNumber, QuestionKey], Any] | None = None,
    *,
    rows: list[dict[str, Any]] | None = None,
) -> list[Fact]:
    """One Fact per organisation and answered organisation-scope question.

    Ordered by organisation number, then questionnaire order. `rows`: the table's records
    when the caller has them already.
    """
    choices = choices or {}
    order = {q.key: i for i, q in enumerate(questionnaire.questions)}
    scoped = {q.key for q in questionnaire.questions if q.scope == "organisasjon"}
    facts: dict[tuple[OrganisationNumber, QuestionKey], Fact] = {}
    columns = (
        "response",
        "respondent_role",
        "organisation",
        "organisation_name",
        "question",
        "value",
    )
    for row in records(table, questionnaire, scoped, columns) if rows is None else rows:
        if row["question"] not in scoped:
            continue
        key = (row["organisation"], row["question"])
        fact = facts.setdefault(
            key, Fact(row["organisation"], row["organisation_name"] or "", row["question"])
        )
        fact.values.append((row["response"], row["respondent_role"] or "", row["value"]))
    for key, fact in facts.items():
        if key in choices:
            fact.value, fact.chosen_by_leader = choices[key], True
        elif len({same_value_key(v) for _r, _role, v in fact.values}) == 1:
            fact.value = fact.values[0][2]
        else:
            fact.disputed = True
    return sorted(
        facts.values(),
        key=lambda f: (organisation_sort_key(f.organisation), order[f.question]),
    )


def facts_by_questionnaire(
    table: pd.DataFrame,
    questionnaires: list[Questionnaire],
    choices: dict[tuple[OrganisationNumber, QuestionKey], Any] | None = None,
) -> dict[str, list[Fact]]:
    """Each questionnaire's organisation facts by its key (the hospital answers its own);
    a questionnaire nobody answered has none."""
    out: dict[str, list[Fact]] = {}
    for questionnaire in questionnaires:
        own = table[table["questionnaire"] == questionnaire.key] if not table.empty else table
        out[questionnaire.key] = (
            organisation_facts(own, questionnaire, choices) if not own.empty else []
        )
    return out
