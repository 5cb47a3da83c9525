"""Turn raw form values into stored answer values, or refuse them.

Pure: no database. Used by every way an answer arrives (autosave, plain POST,
later CSV import), so the rules are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kartlegging.core.text import control_character_refusal
from kartlegging.questionnaires.schema import MAX_TEXT_LENGTH, SHORT_TEXT_LENGTH, Question

_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


class AnswerError(ValueError):
    """A value the question cannot take; the message is shown to the respondent."""


def parse_answer(question: Question, raw: list[str]) -> Any:
    """Return the value to store (None = not answered) or raise AnswerError."""
    values = [v.strip() if question.type != "lang_tekst" else v for v in raw]
    values = [v for v in values if v.strip()]
    if question.is_multiple:
        return _parse_multiple(question, values)
    if len(values) > 1:
        raise AnswerError(_("Velg bare ett svar."))
    if not values:
        return None
    value = values[0]
    if question.is_choice:
        if value not in {o.code for o in question.options}:
            raise AnswerError(_("Velg et av alternativene."))
        return value
    if question.type in ("heltall", "prosent", "desimaltall"):
        return _parse_number(question, value)
    if question.type == "dato":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise AnswerError(_("Skriv datoen som åååå-mm-dd, for eksempel 2026-03-15.")) from None
    value = value.replace("\r\n", "\n")  # browsers send line breaks as two characters
    if refusal := control_character_refusal(value, multiline=question.type == "lang_tekst"):
        raise AnswerError(refusal)
    limit = SHORT_TEXT_LENGTH if question.type == "kort_tekst" else MAX_TEXT_LENGTH
    if len(value) > limit:
        raise AnswerError(
            _("Teksten kan ikke være lengre enn %(limit)s tegn (den er %(length)s).")
            % {"limit": format_number(limit), "length": format_number(len(value))}
        )
    return value


def _parse_multiple(question: Question, values: list[str]) -> list[str] | None:
    codes = [o.code for o in question.options]
    if any(v not in codes for v in values):
        raise AnswerError(_("Velg blant alternativene."))
    chosen = [c for c in codes if c in values]  # questionnaire order, no duplicates
    exclusive = [o for o in question.options if o.exclusive and o.code in chosen]
    if exclusive and len(chosen) > 1:
        raise AnswerError(
            _("«%(option)s» kan ikke kombineres med andre svar.") % {"option": exclusive[0].text}
        )
    return chosen or None


def _parse_number(question: Question, value: str) -> int | float:
    compact = value.replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if not _NUMBER_RE.match(compact):
        raise AnswerError(_("Skriv et tall, for eksempel 40."))
    try:
        number = Decimal(compact.replace(",", "."))
    except InvalidOperation:
        raise AnswerError(_("Skriv et tall, for eksempel 40.")) from None
    if question.type in ("heltall", "prosent"):
        if number != number.to_integral_value():
            raise AnswerError(_("Skriv et helt tall, uten desimaler."))
        result: int | float = int(number)
    else:
        result = float(number)
    low, high = question.min, question.max
    unit = f" {question.unit}" if question.unit else ""
    if (low is not None and result < low) or (high is not None and result > high):
        numbers = {"low": format_number(low), "high": format_number(high), "unit": unit}
        if low is None:
            raise AnswerError(_("Skriv et tall som er høyst %(high)s%(unit)s.") % numbers)
        if high is None:
            raise AnswerError(_("Skriv et tall som er minst %(low)s%(unit)s.") % numbers)
        raise AnswerError(_("Skriv et tall mellom %(low)s og %(high)s%(unit)s.") % numbers)
    return result


def format_number(value: Any) -> str:
    """Norwegian number formatting: decimal comma, space as thousands separator."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return f"{value:,}".replace(",", "\u00a0").replace(".", ",")


# Whole numbers that name something (a municipality, an organisation) instead of counting it:
# printed as plain digits, never with a thousands separator ("3903", not "3 903"). Known
# identifiers keep their width, so Oslo's municipality number stays 0301.
IDENTIFIER_WIDTHS = {"kommunenummer": 4, "organisasjonsnummer": 9, "orgnr": 9, "org_nr": 9}
IDENTIFIER_SUFFIXES = ("nummer", "_nr")


def is_identifier(question: Question) -> bool:
    """Whether the question's number is an identifier (by its key, e.g. `kommunenummer`)."""
    name = question.key.rsplit(".", 1)[-1]
    return question.type == "heltall" and (
        name in IDENTIFIER_WIDTHS or name.endswith(IDENTIFIER_SUFFIXES)
    )


# Numbers copied from a register (the municipality register fills these in for the respondent
# to check, see responses.views.REGISTER_PREFILL): one value per organisation, never added up
# or averaged across answers.
REGISTER_VALUE_KEYS = frozenset({"innbyggere"})


def is_register_value(question: Question) -> bool:
    return question.key.rsplit(".", 1)[-1] in REGISTER_VALUE_KEYS


def format_identifier(question: Question, value: Any) -> str:
    """An identifier as digits only, padded to its known width."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    width = IDENTIFIER_WIDTHS.get(question.key.rsplit(".", 1)[-1], 0)
    return str(value).zfill(width) if isinstance(value, int) and value >= 0 else str(value)


def display_value(question: Question, value: Any) -> str:
    """The answer as the respondent would read it."""
    if value in (None, "", []):
        return ""
    if question.is_multiple:
        return ", ".join(question.option_text(code) for code in value)
    if question.is_choice:
        return question.option_text(value)
    if is_identifier(question):
        return f"{format_identifier(question, value)} {question.unit}".strip()
    if question.type in ("heltall", "prosent", "desimaltall"):
        unit = question.unit or ("%" if question.type == "prosent" else "")
        return f"{format_number(value)} {unit}".strip()
    if question.type == "dato":
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)


def form_value(question: Question, value: Any) -> str:
    """The answer as it goes back into an input field."""
    if value is None:
        return ""
    if question.type == "desimaltall":
        return format_number(value).replace("\u00a0", "")
    if is_identifier(question):
        return format_identifier(question, value)
    return str(value)
