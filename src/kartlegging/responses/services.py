"""Saving and submitting answers: the only code that writes Answer rows.

Rules kept here, whatever the channel (autosave, plain POST, import):
- a save with any invalid value changes nothing;
- a value from an outdated page (stale version) that differs from the stored
  one is refused as a conflict, never written over the newer answer;
- a submitted response is locked; submitting twice is the same as once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.questionnaires.answers import AnswerError, display_value, parse_answer
from kartlegging.questionnaires.schema import Question, Questionnaire, Section
from kartlegging.responses.models import Answer, Response
from kartlegging.surveys.models import Respondent


@dataclass
class SaveResult:
    errors: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    saved_at: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


class ResponseLocked(Exception):
    """The response is submitted or the survey is not open."""


def open_response(respondent: Respondent) -> Response:
    response, _created = Response.objects.get_or_create(respondent=respondent)
    return response


def save_answers(
    response: Response,
    questionnaire: Questionnaire,
    raw: dict[str, list[str]],
    versions: dict[str, int | None] | None = None,
) -> SaveResult:
    """Validate and store answers for the given question keys, all or nothing.

    `raw` maps question key to the submitted strings (empty list = cleared).
    `versions` maps key to the version the page showed; None skips the check.
    """
    result = SaveResult()
    parsed: dict[str, Any] = {}
    for key, values in raw.items():
        if not questionnaire.has_question(key):
            result.errors[key] = _("Ukjent spørsmål.")
            continue
        try:
            parsed[key] = parse_answer(questionnaire.question(key), values)
        except AnswerError as exc:
            result.errors[key] = str(exc)
    if result.errors:
        return result

    with transaction.atomic():
        # Lock the response row: saves for one respondent are serialised.
        locked = (
            Response.objects.select_for_update()
            .select_related("respondent__survey")
            .get(pk=response.pk)
        )
        if locked.is_submitted or not locked.respondent.survey.is_open:
            raise ResponseLocked
        existing = {a.question_key: a for a in locked.answers.filter(question_key__in=parsed)}
        for key, value in parsed.items():
            answer = existing.get(key)
            seen = (versions or {}).get(key)
            current_version = answer.version if answer else 0
            current_value = answer.value if answer else None
            if seen is not None and seen != current_version and value != current_value:
                result.errors[key] = _(
                    "Svaret ble endret i et annet vindu eller på en annen enhet. "
                    "Last inn siden på nytt for å se det nyeste svaret før du endrer det."
                )
        if result.errors:
            return result
        now = timezone.now()
        for key, value in parsed.items():
            answer = existing.get(key)
            if answer is None:
                answer = Answer(response=locked, question_key=key, value=value, version=1)
                answer.save()
            elif answer.value != value:
                answer.value = value
                answer.version += 1
                answer.save(update_fields=["value", "version", "updated_at"])
            result.versions[key] = answer.version
        locked.updated_at = now
        if locked.status == Response.Status.OPENED:
            locked.status = Response.Status.STARTED
        locked.save(update_fields=["updated_at", "status"])
        response.status, response.updated_at = locked.status, locked.updated_at
        result.saved_at = now
    return result


def missing_required(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[Question]:
    """Required questions that are visible but not answered."""
    visible = questionnaire.visible_keys(answers)
    return [
        q
        for q in questionnaire.questions
        if q.required and q.key in visible and answers.get(q.key) in (None, "", [])
    ]


def submit(
    response: Response,
    questionnaire: Questionnaire,
    on_submitted: Callable[[Response], object] | None = None,
) -> list[Question]:
    """Submit the response; return the missing required questions (empty = submitted).

    Idempotent: a second submit of a submitted response changes nothing. `on_submitted`
    (e.g. queueing the receipt) runs inside the locked transaction, only for the call that
    made the change, so two parallel submits have its effect once.
    """
    with transaction.atomic():
        locked = (
            Response.objects.select_for_update()
            .select_related("respondent__survey")
            .get(pk=response.pk)
        )
        if locked.is_submitted:
            return []
        if not locked.respondent.survey.is_open:
            raise ResponseLocked
        missing = missing_required(questionnaire, locked.answer_values())
        if missing:
            return missing
        locked.status = Response.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        if on_submitted is not None:
            on_submitted(locked)
    response.refresh_from_db()
    return []


def visible_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers that count: those to questions shown for these answers."""
    visible = questionnaire.visible_keys(answers)
    return {k: v for k, v in answers.items() if k in visible}


def answered_sections(
    questionnaire: Questionnaire, answers: dict[str, Any]
) -> list[tuple[Section, list[tuple[Question, str]]]]:
    """The answers that count, by section, as the respondent reads them (empty sections left out)."""
    counted = visible_answers(questionnaire, answers)
    found = []
    for section in questionnaire.visible_sections(answers):
        rows = [
            (q, display_value(q, counted[q.key])) for q in section.questions if q.key in counted
        ]
        if rows:
            found.append((section, rows))
    return found
