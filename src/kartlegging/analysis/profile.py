"""One organisation's answers under the five headings of the 2025 Vestfold report.

That report summarised each municipality under the same five headings; this
module sorts the questionnaire's questions under them so the project leader
gets the same shape from survey answers. The first matching rule wins:

- Styrker og svakheter: text questions whose key contains "styrk", "svak" or
  "forbedr", and every question in a section whose key contains "styrk".
- Hvordan palliative pasienter identifiseres: theme helhetlig, key starting
  with "ident_" or containing "spict" or "identif".
- Hvordan samarbeidet fungerer: the other helhetlig questions.
- Hvordan tjenesten er organisert: themes organisering, medvirkning, kompetanse.
- Arbeid med pårørende, familie og frivillige: themes familie, barn_unge, apenhet.

Other bakgrunn questions (who the respondent is) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from kartlegging.analysis.facts import same_value_key
from kartlegging.analysis.rows import records
from kartlegging.questionnaires.answers import display_value
from kartlegging.questionnaires.schema import TEXT_TYPES, Question, Questionnaire

ORGANISED, IDENTIFIED, COLLABORATION, FAMILY, STRENGTHS = range(5)
_BY_THEME = {
    "organisering": ORGANISED,
    "medvirkning": ORGANISED,
    "kompetanse": ORGANISED,
    "familie": FAMILY,
    "barn_unge": FAMILY,
    "apenhet": FAMILY,
}


def headings() -> list[str]:
    return [
        _("Hvordan tjenesten er organisert"),
        _("Hvordan palliative pasienter identifiseres"),
        _("Hvordan samarbeidet fungerer"),
        _("Arbeid med pårørende, familie og frivillige"),
        _("Styrker og svakheter"),
    ]


@dataclass
class ProfileLine:
    text: str  # the answer as the respondent reads it
    respondents: int  # how many gave this answer
    roles: tuple[str, ...] = ()


@dataclass
class ProfileItem:
    question: str
    question_text: str
    scope: str
    lines: list[ProfileLine] = field(default_factory=list)
    # The project leader chose which of the organisation's differing answers is valid;
    # `lines` then holds only that answer.
    chosen_by_leader: bool = False


@dataclass
class ProfileSection:
    heading: str
    items: list[ProfileItem] = field(default_factory=list)


def heading_index(questionnaire: Questionnaire, question: Question) -> int | None:
    """Which of the five headings a question belongs under (None: not in the profile)."""
    section = questionnaire.section_of(question.key)
    key = question.key
    if (
        question.type in TEXT_TYPES and any(w in key for w in ("styrk", "svak", "forbedr"))
    ) or "styrk" in section.key:
        return STRENGTHS
    if section.theme == "helhetlig":
        if key.startswith("ident_") or "spict" in key or "identif" in key:
            return IDENTIFIED
        return COLLABORATION
    return _BY_THEME.get(section.theme)


def organisation_profile(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    organisation: str,
    choices: dict[tuple[str, str], Any] | None = None,
) -> list[ProfileSection]:
    """The five sections (always all five, in order) for one organisation.

    Organisation-scope questions give one line per distinct answer with the
    number of respondents giving it (so disagreement shows), or only the value
    the project leader chose (`choices`, by (organisation, question) as in
    analysis.facts); person-scope questions give one line per respondent, with
    the role.
    """
    choices = choices or {}
    answers: dict[str, list[tuple[str, object]]] = {}
    for row in records(table, questionnaire):
        if str(row["organisation"]) == str(organisation):
            answers.setdefault(row["question"], []).append(
                (row["respondent_role"] or "", row["value"])
            )
    sections = [ProfileSection(heading) for heading in headings()]
    for question in questionnaire.questions:
        index = heading_index(questionnaire, question)
        if index is None or question.key not in answers:
            continue
        item = ProfileItem(question.key, question.text, question.scope)
        if question.scope == "organisasjon":
            distinct: dict[object, ProfileLine] = {}
            for role, value in answers[question.key]:
                line = distinct.setdefault(
                    same_value_key(value), ProfileLine(display_value(question, value), 0)
                )
                line.respondents += 1
                line.roles += (role,)
            item.lines = list(distinct.values())
            chosen = choices.get((str(organisation), question.key))
            if len(item.lines) > 1 and chosen is not None:
                chosen_line = distinct.get(same_value_key(chosen))
                item.lines = [chosen_line or ProfileLine(display_value(question, chosen), 0)]
                item.chosen_by_leader = True
        else:
            item.lines = [
                ProfileLine(display_value(question, value), 1, (role,))
                for role, value in answers[question.key]
            ]
        sections[index].items.append(item)
    return sections
