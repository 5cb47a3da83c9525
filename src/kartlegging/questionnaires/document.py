"""A parsed questionnaire back in its file format: the mapping the YAML file holds.

The spreadsheet, FHIR and the editor all end in this mapping, are dumped as YAML and
read by the one loader (schema.py), so every way into the app is checked the same way.
`to_document(parse_questionnaire(text))` loses only comments and layout:
`parse_questionnaire(dump_yaml(to_document(q))) == q` for every valid questionnaire.
"""

from __future__ import annotations

from typing import Any

import yaml

from kartlegging.questionnaires.conditions import Condition
from kartlegging.questionnaires.schema import (
    NUMBER_TYPES,
    VET_IKKE,
    VET_IKKE_OPTION,
    Option,
    Question,
    Questionnaire,
    Section,
)


def to_document(questionnaire: Questionnaire) -> dict[str, Any]:
    doc: dict[str, Any] = {"nokkel": questionnaire.key, "tittel": questionnaire.title}
    _put(doc, "beskrivelse", questionnaire.description)
    _put(doc, "malgruppe", questionnaire.audience)
    doc["estimert_tid_minutter"] = questionnaire.minutes
    doc["seksjoner"] = [section_document(s) for s in questionnaire.sections]
    return doc


def section_document(section: Section) -> dict[str, Any]:
    doc: dict[str, Any] = {"nokkel": section.key, "tittel": section.title, "tema": section.theme}
    _put(doc, "introduksjon", section.intro)
    if section.condition is not None:
        doc["vis_hvis"] = condition_document(section.condition)
    doc["sporsmal"] = [question_document(q) for q in section.questions]
    return doc


def question_document(question: Question) -> dict[str, Any]:
    doc: dict[str, Any] = {"nokkel": question.key, "tekst": question.text}
    _put(doc, "hjelpetekst", question.help)
    doc["type"] = question.type
    if question.required:
        doc["obligatorisk"] = True
    if question.scope != "person":
        doc["omfang"] = question.scope
    options, vet_ikke = split_vet_ikke(question)
    if question.type in ("enkeltvalg", "flervalg"):
        doc["alternativer"] = [_option(o) for o in options]
    if vet_ikke:
        doc["vet_ikke"] = True
    if question.type in NUMBER_TYPES:
        _put(doc, "enhet", question.unit)
        if question.min is not None:
            doc["min"] = _number(question.min)
        if question.max is not None:
            doc["maks"] = _number(question.max)
    if question.condition is not None:
        doc["vis_hvis"] = condition_document(question.condition)
    return doc


def split_vet_ikke(question: Question) -> tuple[tuple[Option, ...], bool]:
    """The options written out, and whether «Vet ikke» is the `vet_ikke: true` shorthand
    (the only way fixed-option types have it; the last option of a choice question)."""
    options = question.options
    if question.type in ("skala4", "ja_nei"):
        return (), any(o.code == VET_IKKE for o in options)
    shorthand = Option(*VET_IKKE_OPTION, exclusive=question.type == "flervalg")
    if options and options[-1] == shorthand:
        return options[:-1], True
    return options, False


def condition_document(condition: Condition) -> dict[str, Any]:
    if condition.all_of:
        return {"alle": [condition_document(c) for c in condition.all_of]}
    if condition.any_of:
        return {"en_av": [condition_document(c) for c in condition.any_of]}
    value = condition.value
    return {
        "sporsmal": condition.question,
        str(condition.operator): list(value) if isinstance(value, tuple) else value,
    }


def dump_yaml(doc: dict[str, Any]) -> str:
    """YAML as a person would write it: keys in the format's order, Norwegian letters
    as they are, long texts unwrapped."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000, indent=2)


def _option(option: Option) -> dict[str, Any]:
    doc: dict[str, Any] = {"kode": option.code, "tekst": option.text}
    if option.exclusive:
        doc["eksklusiv"] = True
    return doc


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _put(doc: dict[str, Any], name: str, text: str) -> None:
    if text:
        doc[name] = text
