"""Import responses collected elsewhere (a reshaped export, typed-in paper forms) from CSV.

All rows valid, or nothing is saved. Each row becomes a respondent with a submitted
response. Answers go through `parse_answer`, the same rules as the web form, after
choices given by option text and `|`-separated multiple choices are turned into codes.
`required` is not enforced (the answers are already given); the result says how many
required answers are missing. An answer to a question that the row's own answers hide
is refused, since it would never count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.core.csvfiles import ImportProblems, read_rows
from kartlegging.core.models import audit
from kartlegging.questionnaires.answers import AnswerError, parse_answer
from kartlegging.questionnaires.conditions import describe
from kartlegging.questionnaires.schema import Question, Questionnaire
from kartlegging.responses.models import Answer, Response
from kartlegging.responses.services import missing_required
from kartlegging.surveys.importing import NAME_MAX, ROLE_MAX, _organisation_finder
from kartlegging.surveys.importing import _valid_email as valid_email
from kartlegging.surveys.models import Respondent, Survey

ORGANISATION = "organisasjon"
NAME, EMAIL, ROLE, SUBMITTED = "respondent_navn", "respondent_epost", "rolle", "innsendt"
META_COLUMNS = (ORGANISATION, NAME, EMAIL, ROLE, SUBMITTED)
MULTIPLE_SEPARATOR = "|"
OSLO = ZoneInfo("Europe/Oslo")


class ResponseImportError(ImportProblems):
    """A row or cell of the response file is wrong."""


@dataclass(frozen=True)
class ImportResult:
    count: int
    missing_required: int


@dataclass
class _Row:
    respondent: Respondent
    submitted_at: dt.datetime
    schema: Questionnaire
    answers: dict[str, Any]


def import_responses(survey: Survey, data: bytes, actor=None) -> ImportResult:
    """Create one submitted response per row; raise ResponseImportError if any cell is wrong."""
    rows = read_rows(data, [ORGANISATION])
    schemas = _questionnaires(survey)
    header = [name for name in rows[0][1] if name] if rows else []
    # A column must be a question in at least one of the survey's questionnaires.
    questions = [name for name in header if name not in META_COLUMNS]
    known = [n for n in questions if any(schema.has_question(n) for schema in schemas.values())]
    problems = [
        _("Ukjent kolonne «%(column)s»: ikke et spørsmål i skjemaet") % {"column": name}
        for name in questions
        if name not in known
    ]
    reader = _RowReader(survey, schemas, known)
    parsed: list[_Row] = []
    for number, (line, row) in enumerate(rows, start=1):
        result = reader.read(number, line, row)
        if result is not None:
            parsed.append(result)
    problems.extend(reader.problems)
    if not rows:
        problems.append(_("Filen har ingen rader med svar."))
    if problems:
        raise ResponseImportError(problems)
    with transaction.atomic():
        for item in parsed:
            item.respondent.save()
            response = Response.objects.create(
                respondent=item.respondent,
                status=Response.Status.SUBMITTED,
                updated_at=item.submitted_at,
                submitted_at=item.submitted_at,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question_key=key, value=value, version=1)
                for key, value in item.answers.items()
            )
        audit("responses.imported", actor=actor, survey=survey, count=len(parsed))
    return ImportResult(
        count=len(parsed),
        missing_required=sum(len(missing_required(item.schema, item.answers)) for item in parsed),
    )


class _RowReader:
    """Checks rows one at a time, collecting every problem as "Rad N[, kolonne K]: …"."""

    def __init__(self, survey: Survey, schemas: dict[int, Questionnaire], columns: list[str]):
        self.survey = survey
        self.schemas = schemas
        self.columns = columns
        self.find_organisation = _organisation_finder(survey)
        self.existing = {e.lower() for e in survey.respondents.values_list("email", flat=True)}
        self.seen: dict[str, int] = {}
        self.problems: list[str] = []
        self.line = 0

    def read(self, number: int, line: int, row: dict[str, str]) -> _Row | None:
        self.line = line
        before = len(self.problems)
        organisation, problem = self.find_organisation(row.get(ORGANISATION, ""))
        if problem:
            self.problems.append(
                _("Rad %(line)s: %(message)s") % {"line": line, "message": problem}
            )
        respondent = self._respondent(number, row)
        submitted_at = self._submitted_at(row.get(SUBMITTED, ""))
        if organisation is None:
            return None
        respondent.organisation = organisation
        schema = self.schemas[organisation.pk]
        answers = self._answers(schema, row)
        if len(self.problems) > before:
            return None
        visible = schema.visible_keys(answers)
        for key in answers:
            if key not in visible:
                self._cell(
                    key,
                    _("spørsmålet er skjult av svarene i samme rad (vises bare når %(when)s)")
                    % {"when": _shown_when(schema, schema.question(key))},
                )
        if len(self.problems) > before:
            return None
        return _Row(respondent, submitted_at, schema, answers)

    def _cell(self, column: str, message: str) -> None:
        self.problems.append(
            _("Rad %(line)s, kolonne %(column)s: %(message)s")
            % {"line": self.line, "column": column, "message": message}
        )

    def _respondent(self, number: int, row: dict[str, str]) -> Respondent:
        name = row.get(NAME, "") or _("Importert svar %(n)s") % {"n": number}
        if len(name) > NAME_MAX:
            self._cell(NAME, _("navnet er lengre enn %(max)s tegn") % {"max": NAME_MAX})
        role = row.get(ROLE, "")
        if len(role) > ROLE_MAX:
            self._cell(ROLE, _("rollen er lengre enn %(max)s tegn") % {"max": ROLE_MAX})
        raw_email = row.get(EMAIL, "")
        email = raw_email.lower()
        if not email:
            # The .invalid top-level domain guarantees the address is never mailed.
            email = f"import-{uuid.uuid4().hex[:12]}@import.invalid"
        elif not valid_email(email):
            self._cell(
                EMAIL, _("«%(email)s» er ikke en gyldig e-postadresse") % {"email": raw_email}
            )
        elif email in self.seen:
            self._cell(
                EMAIL,
                _("%(email)s står også på rad %(other)s")
                % {"email": email, "other": self.seen[email]},
            )
        elif email in self.existing:
            self._cell(
                EMAIL, _("%(email)s er allerede respondent i kartleggingen") % {"email": email}
            )
        self.seen.setdefault(email, self.line)
        return Respondent(survey=self.survey, name=name, email=email, role=role)

    def _submitted_at(self, value: str) -> dt.datetime:
        if not value:
            return timezone.now()
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self._cell(SUBMITTED, _("Skriv datoen som åååå-mm-dd, for eksempel 2026-03-15."))
            return timezone.now()
        if day > timezone.localdate():
            self._cell(SUBMITTED, _("datoen er fram i tid"))
        return dt.datetime.combine(day, dt.time(12, 0), tzinfo=OSLO)

    def _answers(self, schema: Questionnaire, row: dict[str, str]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for column in self.columns:
            cell = row.get(column, "")
            if not cell.strip():
                continue
            if not schema.has_question(column):
                self._cell(column, _("spørsmålet finnes ikke i skjemaet for denne organisasjonen"))
                continue
            question = schema.question(column)
            try:
                value = parse_answer(question, _raw_values(question, cell))
            except AnswerError as exc:
                self._cell(column, str(exc))
                continue
            if value is not None:
                answers[column] = value
        return answers


def _questionnaires(survey: Survey) -> dict[int, Questionnaire]:
    """The questionnaire each of the survey's organisations answers, by organisation id."""
    return {
        organisation.pk: survey.questionnaire_for(organisation).definition
        for organisation in survey.organisations.all()
    }


def _raw_values(question: Question, cell: str) -> list[str]:
    """The cell as parse_answer takes it: choices as codes (matched by code or text)."""
    if not question.is_choice:
        return [cell]
    by_label: dict[str, str] = {}
    for option in question.options:
        by_label.setdefault(option.text.casefold(), option.code)
        by_label[option.code.casefold()] = option.code
    whole = cell.strip().casefold()
    if whole in by_label:
        return [by_label[whole]]
    parts = [part.strip() for part in cell.split(MULTIPLE_SEPARATOR)]
    return [by_label.get(part.casefold(), part) for part in parts]


def _shown_when(schema: Questionnaire, question: Question) -> str:
    conditions = [schema.section_of(question.key).condition, question.condition]
    return _(" og ").join(describe(c) for c in conditions if c is not None)
