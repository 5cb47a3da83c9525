"""The codebook (REDCap's name for it): every question of the survey's questionnaires with its
key, type, options and codes, its condition in words, and the recommendation rules that
read it. For the project group, printable, and the base for the report's appendix.

In the recommend stage because it names the rules; it reads no answers.
"""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from kartlegging.accounts.decorators import staff_required
from kartlegging.questionnaires.conditions import describe
from kartlegging.questionnaires.schema import SCOPE_LABELS, TYPE_LABELS, Questionnaire
from kartlegging.recommendations.versions import rules_for
from kartlegging.surveys.access import survey_for


def _entries(questionnaire: Questionnaire, rules_by_key: dict[str, list]) -> list[dict]:
    texts = {q.key: q.text for s in questionnaire.sections for q in s.questions}

    def named(key: str) -> str:
        return f"«{texts.get(key, key)}»"

    sections = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            conditions = [c for c in (section.condition, q.condition) if c is not None]
            questions.append(
                {
                    "q": q,
                    "type": TYPE_LABELS.get(q.type, q.type),
                    "scope": SCOPE_LABELS.get(q.scope, q.scope),
                    "condition": gettext(" og ").join(describe(c, named) for c in conditions),
                    "rules": rules_by_key.get(q.key, []),
                }
            )
        sections.append({"section": section, "questions": questions})
    return sections


@staff_required
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    rules_by_key: dict[str, list] = defaultdict(list)
    for rule in rules_for(survey).rules:
        for key in rule.questions:
            rules_by_key[key].append(rule)
    books = [
        {"version": version, "sections": _entries(version.definition, rules_by_key)}
        for version in survey.questionnaire_versions()
    ]
    return render(request, "recommendations/codebook.html", {"survey": survey, "books": books})
