"""The recommendation rules that read a questionnaire's questions, for the editor
(questionnaires/dependents.py): a rule whose question is gone is «ikke vurdert»."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from kartlegging.questionnaires.dependents import Dependent
from kartlegging.recommendations.rules import load_rules


def rules_reading(key: str, questions: frozenset[str], user) -> Iterator[Dependent]:
    for rule in load_rules().rules:
        read = [q for q in rule.questions if q in questions]
        if read:
            yield Dependent(
                kind=_("Anbefaling"),
                name=f"{rule.id} {rule.title}",
                detail=_(
                    "leser %(keys)s; med den nye versjonen kan den gi et annet funn eller "
                    "ikke kunne vurderes"
                )
                % {"keys": ", ".join(read)},
            )
