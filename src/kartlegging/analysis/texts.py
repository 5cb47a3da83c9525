"""Free-text answers gathered by theme, for reading and quoting in the report.

With anonymous labels ("Stor kommune 1") the reader sees where a comment comes
from without the municipality being named. Respondent names are never part of
the table, only their role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from kartlegging.analysis.rows import records
from kartlegging.questionnaires.schema import TEXT_TYPES, THEMES, Questionnaire


@dataclass
class TextEntry:
    text: str
    organisation: str  # the label shown: anonymous label or organisation name
    respondent_role: str


@dataclass
class QuestionTexts:
    question: str
    question_text: str
    entries: list[TextEntry] = field(default_factory=list)


@dataclass
class ThemeTexts:
    theme: str
    theme_label: str
    questions: list[QuestionTexts] = field(default_factory=list)


def free_text_by_theme(
    table: pd.DataFrame, questionnaire: Questionnaire, labels: dict[str, str] | None = None
) -> list[ThemeTexts]:
    """Short and long text answers by theme (THEMES order), then question (questionnaire order).

    Entries are in response order. With labels given, an organisation missing from
    them is shown as "Ukjent organisasjon" rather than by name, so an incomplete
    label map cannot leak a name into an anonymised report.
    """
    by_question: dict[str, list[TextEntry]] = {}
    texts = [q.key for q in questionnaire.questions if q.type in TEXT_TYPES]
    for row in records(table, questionnaire, texts):
        question = questionnaire.question(row["question"])
        text = row["value"]
        if question.type not in TEXT_TYPES or not isinstance(text, str) or not text.strip():
            continue
        if labels is None:
            where = row["organisation_name"] or str(row["organisation"])
        else:
            where = labels.get(row["organisation"], _("Ukjent organisasjon"))
        by_question.setdefault(question.key, []).append(
            TextEntry(text, where, row["respondent_role"] or "")
        )
    result = []
    for theme, theme_label in THEMES.items():
        questions = [
            QuestionTexts(q.key, q.text, by_question[q.key])
            for q in questionnaire.questions
            if q.key in by_question and questionnaire.section_of(q.key).theme == theme
        ]
        if questions:
            result.append(ThemeTexts(theme, theme_label, questions))
    return result
