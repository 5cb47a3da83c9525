"""How long a questionnaire takes: an honest estimate from the questions a respondent sees.

Pure functions over the schema (no database), so the respondent's welcome page and the
questionnaire editor (for a draft) use the same figures.

What is counted
    Each question shown gets a time by its type (QUESTION_SECONDS): a choice ≈ 10 s,
    multiple choice 10 s plus 2 s per option, a number ≈ 30 s, a date ≈ 20 s, a short
    text ≈ 45 s and a free text ≈ 60 s. These are the figures of issue 12 («Honest
    length»); our browser tests answer by script, so they measure no human times to
    replace them with. Help texts and section introductions are always on the page, so
    their reading time is added (READING_WORDS_PER_MINUTE), and every page costs
    PAGE_SECONDS for saving and moving on.

Follow-up questions
    Which questions are shown depends on the answers (`vis_hvis`). `estimate` therefore
    gives a range:

    - `low`: the questions shown for the answers given so far
      (`Questionnaire.visible_keys`). Before any answer this leaves out every follow-up
      question, which is what a respondent who answers «Nei» throughout will see.
    - `high`: also the follow-up questions that may still be shown, i.e. whose
      condition is not yet settled because it reads a question not answered yet
      (as if every such follow-up is shown). Before any answer this is every question.

    A respondent's answers narrow the range: once `koord_finnes` is answered, its
    follow-ups are either in both bounds or in neither. `estimate_minutes` is `low`, the
    figure for the questions on the respondent's path as it stands.

Rounding
    Minutes are whole and at least 1, rounded to the nearest minute (half up). The one
    0 is `estimate(..., left_from=...)` when no question is left to answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kartlegging.questionnaires.schema import Condition, Question, Questionnaire

# Seconds to read and answer one question, by type (flervalg adds FLERVALG_PER_OPTION).
QUESTION_SECONDS: dict[str, int] = {
    "enkeltvalg": 10,
    "ja_nei": 10,
    "skala4": 10,
    "flervalg": 10,
    "heltall": 30,
    "desimaltall": 30,
    "prosent": 30,
    "dato": 20,
    "kort_tekst": 45,
    "lang_tekst": 60,
}
FLERVALG_PER_OPTION = 2
# Reading speed for help texts and section introductions (factual text on a screen).
READING_WORDS_PER_MINUTE = 200
# Saving a page and moving on to the next.
PAGE_SECONDS = 5


@dataclass(frozen=True)
class Estimate:
    """Whole minutes: `low` for the questions shown now, `high` with every follow-up that
    may still be shown. `low == high` when no follow-up is open."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.high > self.low

    def __str__(self) -> str:
        """«15–20» or «14», as «omtrent … minutter» reads it."""
        return f"{self.low}–{self.high}" if self.is_range else str(self.low)


def reading_seconds(text: str) -> float:
    return len(text.split()) * 60 / READING_WORDS_PER_MINUTE


def question_seconds(question: Question) -> float:
    """Reading and answering one question, help text included."""
    seconds = float(QUESTION_SECONDS.get(question.type, QUESTION_SECONDS["kort_tekst"]))
    if question.type == "flervalg":
        seconds += FLERVALG_PER_OPTION * len(question.options)
    return seconds + reading_seconds(question.help)


def to_minutes(seconds: float) -> int:
    """Whole minutes, half up, at least 1; 0 only when nothing is counted (nothing left)."""
    return 0 if seconds <= 0 else max(1, math.floor(seconds / 60 + 0.5))


def estimate(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any] | None = None,
    *,
    left_from: str | None = None,
) -> Estimate:
    """The time the questionnaire takes for these answers (none: a new respondent).

    With `left_from` (a section key) only what is left is counted: the questions not
    answered yet in that section and the sections after it; earlier sections count as
    done, so a question skipped on purpose there does not count as work left.
    """
    low, high = estimate_seconds(questionnaire, answers, left_from=left_from)
    return Estimate(to_minutes(low), to_minutes(high))


def estimate_minutes(questionnaire: Questionnaire, answers: Mapping[str, Any] | None = None) -> int:
    """Whole minutes for the questions shown for these answers (see the module docstring)."""
    return estimate(questionnaire, answers).low


def estimate_seconds(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any] | None = None,
    *,
    left_from: str | None = None,
) -> tuple[float, float]:
    """(low, high) in seconds, unrounded; see `estimate`."""
    answers = answers or {}
    shown = questionnaire.visible_keys(dict(answers))
    possible = _possible_keys(questionnaire, answers, shown)
    counting = left_from is None
    totals = [0.0, 0.0]
    for section in questionnaire.sections:
        counting = counting or section.key == left_from
        if not counting:
            continue
        for bound, keys in enumerate((shown, possible)):
            todo = [
                q
                for q in section.questions
                if q.key in keys and (left_from is None or not _answered(answers, q.key))
            ]
            if todo:
                totals[bound] += (
                    PAGE_SECONDS
                    + reading_seconds(section.intro)
                    + sum(question_seconds(q) for q in todo)
                )
    return totals[0], totals[1]


def _answered(answers: Mapping[str, Any], key: str) -> bool:
    return key in answers and answers[key] not in (None, "", [])


def _possible_keys(
    questionnaire: Questionnaire, answers: Mapping[str, Any], shown: set[str]
) -> set[str]:
    """The questions shown now and those whose condition is not settled yet.

    A condition leaf on a question that is shown or may be shown, but not answered yet,
    may still come true; every other leaf is decided by the answers that count now (as
    `visible_keys` decides it). All/any of leaves combine three-valued.
    """
    counted = {k: v for k, v in answers.items() if k in shown and _answered(answers, k)}
    possible: set[str] = set()
    open_keys: set[str] = set()

    def may_hold(condition: Condition | None) -> bool | None:
        """True, False, or None when it is not settled yet."""
        if condition is None:
            return True
        if condition.all_of or condition.any_of:
            parts = [may_hold(c) for c in condition.all_of or condition.any_of]
            decisive = bool(condition.any_of)  # True decides an any-of, False an all-of
            if decisive in parts:
                return decisive
            return None if None in parts else not decisive
        if condition.question in open_keys:
            return None
        return condition.evaluate(counted)

    for section in questionnaire.sections:
        section_may = may_hold(section.condition)
        for question in section.questions:
            if question.key in shown:
                possible.add(question.key)
            elif section_may is not False and may_hold(question.condition) is not False:
                possible.add(question.key)
            else:
                continue
            if question.key not in counted:
                open_keys.add(question.key)
    return possible
