"""What depends on a questionnaire's questions: recommendation rules and surveys.

Those live in later stages (recommendations, surveys), which questionnaires may not
import, so each registers a finder here from its AppConfig.ready(); the editor asks
before a question is removed or its option codes change, and before a new version is
taken into use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Dependent:
    kind: str  # what it is, in words: «Anbefaling», «Kartlegging»
    name: str  # «ORG-01 Kommunen har kreftkoordinator», «Vestfold 2026»
    detail: str = ""  # what happens to it, in words
    url: str = ""
    blocking: bool = False  # the change would break it, and is refused


# finder(questionnaire key, question keys, user) → the dependents of those questions
Finder = Callable[[str, frozenset[str], object], Iterable[Dependent]]
_finders: list[Finder] = []


def register(finder: Finder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def dependents(key: str, questions: Iterable[str], user=None) -> list[Dependent]:
    wanted = frozenset(questions)
    if not wanted:
        return []
    return [found for finder in _finders for found in finder(key, wanted, user)]
