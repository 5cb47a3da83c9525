"""Frequency tables: how many answered each option, of how many, in which group.

Pure functions over the tidy table from kartlegging.analysis.table. What is counted
depends on the question's scope (DESIGN.md, "Invariants"):

- an opinion (scope `person`) once per respondent;
- a fact about an organisation (scope `organisasjon`) once per organisation, from the value
  its respondents agree on or the one the project leader chose; an organisation whose
  respondents disagree is a category of its own, «Ulike svar», never dropped.

The base of a question is the number of units (respondents or organisations) that answered
it, so a unit that skipped a question (or had it hidden) is not counted against any option.
Identifiers (kommunenummer) are only counted and register values (innbyggere) get no mean or
sum. Split tables hide groups whose base is below min_n, and then as many more groups as it
takes (complementary suppression) that no hidden group can be worked out from the total.

Percentages stay unrounded here: format_percent rounds once, for every table, figure and
text; exports give them unrounded beside count and base.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, Literal

import pandas as pd
from django.utils.translation import gettext as _

from kartlegging.analysis.facts import Fact, organisation_facts
from kartlegging.analysis.rows import clean, organisation_sort_key, records
from kartlegging.organisations.sizes import DEFAULT_BOUNDARIES, LARGE, MEDIUM, SMALL
from kartlegging.organisations.sizes import size_class_label as _size_label
from kartlegging.questionnaires.answers import (
    format_identifier,
    format_number,
    is_identifier,
    is_register_value,
)
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
    "unit",  # what count and base count: "organisasjon" or "person" (the question's scope)
]
# What counting needs of each row of the tidy table.
UNIT_COLUMNS = (
    "response",
    "respondent_role",
    "organisation",
    "organisation_name",
    "kind",
    "size_class",
    "question",
    "value",
)
ALL = "alle"
DISPUTED = "ulike_svar"  # the option row of organisations whose respondents disagree
STATISTICS = ("n", "mean", "median", "min", "max", "sum")
REGISTER_STATISTICS = ("n", "median", "min", "max")  # a sum or mean of populations means nothing
IDENTIFIER_STATISTICS = ("n",)
KIND_ORDER = ("kommune", "helseforetak", "annet")
SIZE_ORDER = (SMALL, MEDIUM, LARGE)

Split = Literal["size", "kind", "organisation"] | None
Unit = dict[str, Any]  # one counted unit's answer: a respondent's, or an organisation's fact


class _Disputed:
    """The value of a fact its respondents disagree on (and the leader has not chosen)."""

    def __repr__(self) -> str:
        return "DISPUTED"


DISPUTED_VALUE = _Disputed()


def kind_label(kind: str | None) -> str:
    labels = {"kommune": _("Kommune"), "helseforetak": _("Helseforetak"), "annet": _("Annet")}
    return labels.get(kind or "", kind or _("Ukjent"))


def unit_label(unit: str, n: int) -> str:
    """What a base counts, for captions: «5 organisasjoner», «1 respondent»."""
    if unit == "organisasjon":
        words = _("organisasjon") if n == 1 else _("organisasjoner")
    else:
        words = _("respondent") if n == 1 else _("respondenter")
    return f"{n} {words}"


def counted_units(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    choices: dict[tuple[str, str], Any] | None = None,
    facts: list[Fact] | None = None,
) -> list[Unit]:
    """One row per counted unit and question: respondents for opinions, organisations for facts.

    A fact's value is the agreed or leader-chosen one, or DISPUTED_VALUE. `facts`: the
    table's organisation_facts when the caller has them already.
    """
    counted = {q.key for q in questionnaire.questions if q.type in CHOICE_TYPES + NUMBER_TYPES}
    rows = records(table, questionnaire, counted, UNIT_COLUMNS)
    facts_scope = {q.key for q in questionnaire.questions if q.scope == "organisasjon"}
    units = []
    first_row: dict[str, dict[str, Any]] = {}  # per organisation, where its facts are counted
    for r in rows:  # the records are ours: marked in place, not copied (a million in a county)
        if r["question"] in facts_scope:
            first_row.setdefault(r["organisation"], r)
        else:
            r["unit"] = r["response"]
            units.append(r)
    if first_row:
        found = (
            facts
            if facts is not None
            else organisation_facts(table, questionnaire, choices, rows=rows)
        )
        for fact in found:
            if fact.question not in counted:  # given facts may include free-text ones
                continue
            value = DISPUTED_VALUE if fact.disputed else fact.value
            where = first_row[fact.organisation]
            units.append(
                {
                    **where,
                    "question": fact.question,
                    "value": value,
                    "unit": fact.organisation,
                    "fact": True,
                }
            )
    return units


def fact_values(units: list[Unit], keys: Iterable[str]) -> dict[tuple[str, str], Any]:
    """(organisation, question) → the agreed or chosen value of a fact, or DISPUTED_VALUE."""
    wanted = set(keys)
    return {
        (u["organisation"], u["question"]): u["value"]
        for u in units
        if u.get("fact") and u["question"] in wanted
    }


def frequency_table(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    by: Split = None,
    exclude_dont_know: bool = False,
    min_n: int = 3,
    size_boundaries: tuple[int, int] = DEFAULT_BOUNDARIES,
    choices: dict[tuple[str, str], Any] | None = None,
    units: list[Unit] | None = None,
) -> pd.DataFrame:
    """Counts and unrounded percentages per option (closed questions), statistics (numbers).

    One block of rows per group (group-major), each block in questionnaire order.
    In split tables a hidden group shows no numbers: count and percent are None and base is
    the text "færre enn N". `choices` are the leader's values for disputed facts; `units`
    the table's counted units when the caller has them already (then table is not read).
    """
    if units is None:
        units = counted_units(table, questionnaire, choices)
    by_question: dict[str, list[Unit]] = {}
    for unit in units:
        by_question.setdefault(unit["question"], []).append(unit)
    questions = [
        q
        for q in questionnaire.questions
        if (q.type in CHOICE_TYPES or q.type in NUMBER_TYPES) and q.key in by_question
    ]
    disputed = {u["question"] for u in units if u["value"] is DISPUTED_VALUE}
    groups = _groups(units, by, size_boundaries)
    marker = _("færre enn %(n)s") % {"n": min_n}
    blocks: dict[tuple[int, str], list[list[Any]]] = {}
    for question in questions:
        answers = by_question[question.key]

        def block(members: list[Unit], question: Question = question) -> list[list[Any]]:
            if question.type in CHOICE_TYPES:
                return _closed_rows(question, members, exclude_dont_know, question.key in disputed)
            return _number_rows(question, members, question.key in disputed)

        per_group = [block([u for u in answers if member(u)]) for _label, member in groups]
        if by is not None:
            bases = {i: (rows[0][5] if rows else 0) for i, rows in enumerate(per_group)}
            everyone = block(answers)
            outside = (everyone[0][5] if everyone else 0) - sum(bases.values())
            for index in _hidden_groups(bases, outside, min_n):
                per_group[index] = [[*row[:4], None, marker, None] for row in per_group[index]]
        for index, rows in enumerate(per_group):
            blocks[(index, question.key)] = rows
    out: list[list[Any]] = []
    for index, (label, _members) in enumerate(groups):
        for question in questions:
            out.extend([*row, label, question.scope] for row in blocks[(index, question.key)])
    return pd.DataFrame(out, columns=FREQUENCY_COLUMNS, dtype=object)


def _hidden_groups(bases: dict[int, int], outside: int, min_n: int) -> set[int]:
    """The groups to hide: each with a base below min_n, then the smallest shown groups until
    the hidden part cannot be worked out from the total, i.e. it is empty, or it has at least
    two parts (hidden groups, and units outside the split such as hospitals in a size split)
    with at least min_n units together."""
    hidden = {g for g, base in bases.items() if base < min_n}

    def exposed() -> bool:
        parts = [bases[g] for g in hidden if bases[g] > 0]
        if not parts:
            return False  # nothing hidden to protect (empty groups say only that)
        parts += [outside] if outside > 0 else []
        return len(parts) < 2 or sum(parts) < min_n

    while exposed():
        shown = sorted((base, g) for g, base in bases.items() if g not in hidden)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden


def _groups(
    units: list[Unit], by: Split, boundaries: tuple[int, int]
) -> list[tuple[str, Callable[[Unit], bool]]]:
    """(label, whether a unit belongs) per group in a fixed order; hospitals drop out of a
    size split."""
    if by is None:
        return [(ALL, lambda unit: True)]
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
        names = {u["organisation"]: u["organisation_name"] or str(u["organisation"]) for u in units}
        order, label = sorted(names, key=organisation_sort_key), names.__getitem__
    present = {u[column] for u in units} - {None}
    order += sorted((v for v in present if v not in order), key=str)  # unexpected: last
    return [(label(v), _member(column, v)) for v in order if v in present]


def _member(column: str, value: Any) -> Callable[[Unit], bool]:
    return lambda unit: unit[column] == value


def _codes(value: Any) -> set[str] | None:
    if value is DISPUTED_VALUE:
        return None
    return {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}


def percent(count: int, base: int) -> float | None:
    return 100 * count / base if base else None


def _closed_rows(
    question: Question, answers: Iterable[Unit], exclude_dont_know: bool, disputed: bool
) -> list[list[Any]]:
    # One answer per unit and question (a response's, or an organisation's fact).
    by_unit = {row["unit"]: _codes(row["value"]) for row in answers}
    counted = [
        codes
        for codes in by_unit.values()
        if not (exclude_dont_know and codes == {VET_IKKE})  # only "Vet ikke": out of the base
    ]
    base = len(counted)
    ticked = Counter(code for codes in by_unit.values() if codes is not None for code in codes)
    rows = []
    for option in question.options:
        count = ticked[option.code]
        hidden = exclude_dont_know and option.code == VET_IKKE
        rows.append(
            [
                question.key,
                question.text,
                option.code,
                option.text,
                count,
                base,
                None if hidden else percent(count, base),
            ]
        )
    if disputed:
        count = sum(codes is None for codes in by_unit.values())
        rows.append(
            [
                question.key,
                question.text,
                DISPUTED,
                _("Ulike svar"),
                count,
                base,
                percent(count, base),
            ]
        )
    return rows


def statistics_for(question: Question) -> tuple[str, ...]:
    """Identifiers are only counted; register values are never added up or averaged."""
    if is_identifier(question):
        return IDENTIFIER_STATISTICS
    if is_register_value(question):
        return REGISTER_STATISTICS
    return STATISTICS


def _number_rows(question: Question, answers: Iterable[Unit], disputed: bool) -> list[list[Any]]:
    by_unit: dict[Any, Any] = {}
    for r in answers:
        value = r["value"]
        if value is DISPUTED_VALUE or (
            isinstance(value, (int, float)) and not isinstance(value, bool)
        ):
            by_unit[r["unit"]] = value
    values = [float(v) for v in by_unit.values() if v is not DISPUTED_VALUE]
    n = len(values)
    base = len(by_unit)
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
    rows = [
        [question.key, question.text, name, texts[name], stats.get(name), base, None]
        for name in statistics_for(question)
    ]
    if disputed:
        rows.append([question.key, question.text, DISPUTED, _("Ulike svar"), base - n, base, None])
    return rows


def whole_percent(value: float) -> int:
    """Half up, as published tables round (39 of 51 = 76.47 → 76; 1 of 8 = 12.5 → 13).

    The one rounding of a percentage; the float error of 100 × count / base is far
    smaller than the 1e-9 allowed for.
    """
    return math.floor(value + 0.5 + 1e-9)


def format_percent(value: float | None) -> str:
    """Norwegian whole percent with a space before %: «76 %»; «–» when there is none."""
    value = clean(value)
    if value is None:
        return "–"
    return f"{whole_percent(float(value))} %"


def format_statistic(value: Any, question: Question | None = None) -> str:
    """A statistic as text: Norwegian decimals (at most two), identifiers as plain digits."""
    value = clean(value)
    if value is None:
        return "–"
    if question is not None and is_identifier(question):
        return format_identifier(question, value)
    if isinstance(value, float) and not value.is_integer():
        value = round(value, 2)
    return format_number(value)
