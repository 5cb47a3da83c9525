"""Editing a questionnaire draft: changes to its file-format mapping, each checked by
the loader before it is stored, so a draft is always a valid questionnaire.

The editor's pages (editor.py) turn a form into one change here; a change the loader
refuses raises QuestionnaireError with every problem and its place (validation.Place)
and leaves the stored draft as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kartlegging.core.models import audit
from kartlegging.questionnaires.document import dump_yaml, to_document
from kartlegging.questionnaires.models import (
    QuestionnaireDraft,
    QuestionnaireVersion,
    load_questionnaire,
)
from kartlegging.questionnaires.schema import (
    Questionnaire,
    QuestionnaireError,
    parse_questionnaire,
)
from kartlegging.questionnaires.validation import load_yaml


def new_draft(
    questionnaire: Questionnaire, user, based_on: QuestionnaireVersion | None = None
) -> QuestionnaireDraft:
    return QuestionnaireDraft.objects.create(
        key=questionnaire.key,
        title=questionnaire.title,
        source=dump_yaml(to_document(questionnaire)),
        based_on=based_on,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def document(draft: QuestionnaireDraft) -> dict[str, Any]:
    """A copy of the draft's mapping to change."""
    return copy.deepcopy(load_yaml(draft.source))


def save(
    draft: QuestionnaireDraft, doc: dict[str, Any], user, change: str, **details
) -> Questionnaire:
    """Store the changed mapping if the loader accepts it, audited as `change`; raise
    QuestionnaireError (and store nothing) if not."""
    questionnaire = parse_questionnaire(dump_yaml(doc))
    draft.source = dump_yaml(to_document(questionnaire))
    draft.key, draft.title = questionnaire.key, questionnaire.title
    with transaction.atomic():
        draft.save()
        audit("questionnaire.draft_changed", user, draft=draft.pk, change=change, **details)
    return questionnaire


def take_into_use(draft: QuestionnaireDraft) -> QuestionnaireVersion:
    """The draft as the next version of its key; the draft is gone afterwards."""
    with transaction.atomic():
        latest = (
            QuestionnaireVersion.objects.select_for_update()
            .filter(key=draft.key)
            .order_by("-version")
            .first()
        )
        # The same questions as the latest version, however the YAML is written: no new version.
        if latest is not None and latest.definition == draft.definition:
            raise QuestionnaireError(
                [
                    _(
                        "Utkastet har ingen endringer fra versjon %(n)s av «%(key)s», som "
                        "allerede er i bruk."
                    )
                    % {"n": latest.version, "key": latest.key}
                ]
            )
        version, _created = load_questionnaire(draft.source)
        draft.delete()
    return version


# --------------------------------------------------------------------------- places in a mapping


@dataclass
class Spot:
    """Where a section or question is in the mapping (0-based) and its place for the loader."""

    section: int
    question: int = -1

    @property
    def place(self) -> tuple[int, int]:
        return self.section + 1, self.question + 1


def find_section(doc: dict[str, Any], key: str) -> Spot | None:
    for index, section in enumerate(doc["seksjoner"]):
        if section["nokkel"] == key:
            return Spot(index)
    return None


def find_question(doc: dict[str, Any], key: str) -> Spot | None:
    for s_index, section in enumerate(doc["seksjoner"]):
        for q_index, question in enumerate(section["sporsmal"]):
            if question["nokkel"] == key:
                return Spot(s_index, q_index)
    return None


def move(items: list[Any], index: int, step: int) -> bool:
    """Move items[index] one place up (-1) or down (+1); False at the end."""
    target = index + step
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    return True


def unique_key(doc: dict[str, Any], base: str) -> str:
    """A question or section key not used in the mapping: base, base_2, base_3, …"""
    used = {s["nokkel"] for s in doc["seksjoner"]} | {
        q["nokkel"] for s in doc["seksjoner"] for q in s["sporsmal"]
    }
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def readers_in_draft(questionnaire: Questionnaire, key: str) -> list[str]:
    """Keys of the questions and sections whose condition reads this question."""
    readers = [
        s.key for s in questionnaire.sections if s.condition and key in s.condition.questions()
    ]
    readers += [
        q.key for q in questionnaire.questions if q.condition and key in q.condition.questions()
    ]
    return readers
