"""Questionnaires and answers as FHIR R4: `Questionnaire` and `QuestionnaireResponse`.

Pure: no database. Out: `to_fhir` writes a questionnaire, `to_fhir_response` one
respondent's answers; both are checked with the `fhir.resources` models of R4B, whose
Questionnaire and QuestionnaireResponse are those of R4 (4.0.1). In: `from_fhir` reads a
FHIR Questionnaire into our file format (YAML text) and says in Norwegian what it could
not carry over; the text then goes through the one loader (schema.py) like any file.

How our format maps:

- a section is a `group` item (title as `text`); its intro is a leading `display` child;
  a question's help is a `display` child with the itemControl `help`;
- types: enkeltvalg, ja_nei, skala4 → `choice`; flervalg → `choice` with `repeats`;
  heltall, prosent → `integer`; desimaltall → `decimal`; kort_tekst → `string`;
  lang_tekst → `text`; dato → `date`. Our exact type travels in an extension of our own;
- options are `answerOption.valueCoding` in a code system per question under the
  questionnaire's URL (codes only mean something within their question); «Vet ikke» is
  the option `vet_ikke`; an exclusive option has the core `questionnaire-optionExclusive`;
- unit, min and max: the core extensions `questionnaire-unit`, `minValue`, `maxValue`;
- theme, scope, the keys that are not linkIds and the estimated minutes, which FHIR has
  no element for, are extensions under EXTENSION_BASE; the audience is a `useContext`
  of type `user`;
- a condition is `enableWhen` with `enableBehavior` all/any where FHIR can say it:
  `er` is `=` (a list: several `=` with any), `ikke_er` is `exists` + `!=` with all
  (FHIR's `!=` alone is also true when unanswered, ours is not), `inneholder` is `=`,
  `storre_enn`/`mindre_enn` are `>`/`<`, `er_besvart` is `exists`; `alle`/`en_av` of
  such leaves are all/any. What needs nesting (an `ikke_er` inside `en_av`, `en_av`
  inside `alle`) is written as the SDC `enableWhenExpression` (FHIRPath), for other
  tools. Whenever reading enableWhen back would not give exactly the same condition,
  the condition itself also travels in our `condition` extension (the `vis_hvis`
  mapping as JSON), so a questionnaire comes back unchanged. On import that extension
  is used only if it agrees with the item's enableWhen, so an edit made in a FHIR tool
  wins.

Not carried over on import (each named in the warnings): item types without a
counterpart (attachment, reference …), answerValueSet other than a contained ValueSet,
enableWhenExpression and other FHIRPath, initial values, readOnly, prefix, codes and
definitions of items, nested groups (flattened into their section), questions nested
under questions (flattened), unknown extensions and elements of the resource.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from kartlegging.questionnaires.conditions import Condition, read_condition
from kartlegging.questionnaires.document import condition_document, dump_yaml
from kartlegging.questionnaires.schema import (
    CODE_RE,
    FILE_KEY_RE,
    KEY_RE,
    MAX_TEXT_LENGTH,
    NUMBER_TYPES,
    SCALE4,
    SCOPES,
    SHORT_TEXT_LENGTH,
    THEMES,
    VET_IKKE,
    VET_IKKE_OPTION,
    YES_NO,
    Question,
    Questionnaire,
    QuestionnaireError,
    Section,
    parse_questionnaire,
)
from kartlegging.questionnaires.validation import Problems

# Where our own definitions live: the questionnaire's canonical URL, its code systems and
# the respondent identifiers are under URL_BASE (overridable per call); our extensions
# are under EXTENSION_BASE always, so they are recognised on import wherever a file was made.
URL_BASE = "https://kartlegging.no/fhir"
EXTENSION_BASE = "https://kartlegging.no/fhir/StructureDefinition"
EXT_KEY = f"{EXTENSION_BASE}/key"
EXT_THEME = f"{EXTENSION_BASE}/theme"
EXT_SCOPE = f"{EXTENSION_BASE}/scope"
EXT_TYPE = f"{EXTENSION_BASE}/question-type"
EXT_MINUTES = f"{EXTENSION_BASE}/estimated-minutes"
EXT_CONDITION = f"{EXTENSION_BASE}/condition"

_CORE = "http://hl7.org/fhir/StructureDefinition"
EXT_UNIT = f"{_CORE}/questionnaire-unit"
EXT_MIN = f"{_CORE}/minValue"
EXT_MAX = f"{_CORE}/maxValue"
EXT_ITEM_CONTROL = f"{_CORE}/questionnaire-itemControl"
EXT_OPTION_EXCLUSIVE = f"{_CORE}/questionnaire-optionExclusive"
EXT_ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
USAGE_CONTEXT_SYSTEM = "http://terminology.hl7.org/CodeSystem/usage-context-type"
UCUM = "http://unitsofmeasure.org"

FHIR_TYPES = {
    "enkeltvalg": "choice",
    "flervalg": "choice",
    "skala4": "choice",
    "ja_nei": "choice",
    "heltall": "integer",
    "prosent": "integer",
    "desimaltall": "decimal",
    "kort_tekst": "string",
    "lang_tekst": "text",
    "dato": "date",
}
_TEXT_LIMITS = {"kort_tekst": SHORT_TEXT_LENGTH, "lang_tekst": MAX_TEXT_LENGTH}
_HELP = "-hjelp"  # linkId suffixes: keys have no hyphen, so these never collide
_INTRO = "-introduksjon"
_SECTION = "-seksjon"
RESPONSE_STATUSES = ("completed", "in-progress")


# =========================================================================== export


def questionnaire_url(questionnaire: Questionnaire, url_base: str = URL_BASE) -> str:
    return f"{url_base.rstrip('/')}/Questionnaire/{questionnaire.key}"


def code_system(questionnaire: Questionnaire, question: Question, url_base: str = URL_BASE) -> str:
    """The code system of one question's options (a code means something only there)."""
    return f"{url_base.rstrip('/')}/CodeSystem/{questionnaire.key}/{question.key}"


def to_fhir(
    questionnaire: Questionnaire, *, version: int | None = None, url_base: str = URL_BASE
) -> dict[str, Any]:
    """The questionnaire as a FHIR R4 Questionnaire (JSON as a dict), validated."""
    writer = _Writer(questionnaire, url_base)
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire.key,
        "extension": [
            {"url": EXT_KEY, "valueString": questionnaire.key},
            {"url": EXT_MINUTES, "valueInteger": questionnaire.minutes},
        ],
        "language": "nb",
        "url": questionnaire_url(questionnaire, url_base),
    }
    if version is not None:
        data["version"] = str(version)
    data["name"] = "".join(part.capitalize() for part in re.split(r"[^a-z0-9]+", questionnaire.key))
    data["title"] = questionnaire.title
    data["status"] = "active"
    if questionnaire.description:
        data["description"] = questionnaire.description
    if questionnaire.audience:
        data["useContext"] = [
            {
                "code": {"system": USAGE_CONTEXT_SYSTEM, "code": "user"},
                "valueCodeableConcept": {"text": questionnaire.audience},
            }
        ]
    data["item"] = [writer.section(s) for s in questionnaire.sections]
    _validate_output(data, "Questionnaire")
    return data


class _Writer:
    def __init__(self, questionnaire: Questionnaire, url_base: str):
        self.questionnaire = questionnaire
        self.url_base = url_base
        self.question_keys = {q.key for q in questionnaire.questions}

    def section(self, section: Section) -> dict[str, Any]:
        link_id = section.key if section.key not in self.question_keys else section.key + _SECTION
        extensions = [{"url": EXT_THEME, "valueCode": section.theme}]
        if link_id != section.key:
            extensions.append({"url": EXT_KEY, "valueString": section.key})
        item: dict[str, Any] = {"linkId": link_id, "text": section.title, "type": "group"}
        children: list[dict[str, Any]] = []
        if section.intro:
            children.append(
                {"linkId": section.key + _INTRO, "text": section.intro, "type": "display"}
            )
        children += [self.question(q) for q in section.questions]
        self.condition(item, extensions, section.condition)
        item["item"] = children
        return {"extension": extensions, **item}

    def question(self, question: Question) -> dict[str, Any]:
        extensions: list[dict[str, Any]] = [
            {"url": EXT_TYPE, "valueCode": question.type},
            {"url": EXT_SCOPE, "valueCode": question.scope},
        ]
        item: dict[str, Any] = {
            "linkId": question.key,
            "text": question.text,
            "type": FHIR_TYPES[question.type],
        }
        self.condition(item, extensions, question.condition)
        if question.required:
            item["required"] = True
        if question.is_multiple:
            item["repeats"] = True
        if question.type in _TEXT_LIMITS:
            item["maxLength"] = _TEXT_LIMITS[question.type]
        if question.type in NUMBER_TYPES:
            extensions += self.number_extensions(question)
        if question.is_choice:
            item["answerOption"] = [self.option(question, o) for o in question.options]
        if question.help:
            item["item"] = [help_item(question.key + _HELP, question.help)]
        return {"extension": extensions, **item}

    def number_extensions(self, question: Question) -> list[dict[str, Any]]:
        extensions: list[dict[str, Any]] = []
        if question.unit:
            extensions.append({"url": EXT_UNIT, "valueCoding": {"display": question.unit}})
        elif question.type == "prosent":
            coding = {"system": UCUM, "code": "%", "display": "%"}
            extensions.append({"url": EXT_UNIT, "valueCoding": coding})
        for url, limit in ((EXT_MIN, question.min), (EXT_MAX, question.max)):
            if limit is not None:
                extensions.append({"url": url, **_number_value(question.type, limit)})
        return extensions

    def option(self, question: Question, option: Any) -> dict[str, Any]:
        coding = {
            "system": code_system(self.questionnaire, question, self.url_base),
            "code": option.code,
            "display": option.text,
        }
        answer: dict[str, Any] = {"valueCoding": coding}
        if option.exclusive:
            answer = {
                "extension": [{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}],
                **answer,
            }
        return answer

    def condition(
        self, item: dict[str, Any], extensions: list[dict[str, Any]], condition: Condition | None
    ) -> None:
        if condition is None:
            return
        flat = _atoms(condition)
        if flat is None:
            expression = {"language": "text/fhirpath", "expression": self.fhirpath(condition)}
            extensions.append({"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": expression})
        else:
            behavior, atoms = flat
            item["enableWhen"] = [self.enable_when(atom) for atom in atoms]
            if len(atoms) > 1:
                item["enableBehavior"] = behavior
        if flat is None or _from_atoms(flat, self.is_multiple) != condition:
            text = json.dumps(condition_document(condition), ensure_ascii=False)
            extensions.append({"url": EXT_CONDITION, "valueString": text})

    def is_multiple(self, key: str) -> bool:
        return self.questionnaire.question(key).is_multiple

    def enable_when(self, atom: _Atom) -> dict[str, Any]:
        key, operator, value = atom
        entry: dict[str, Any] = {"question": key, "operator": operator}
        question = self.questionnaire.question(key)
        if operator == "exists":
            entry["answerBoolean"] = bool(value)
        elif question.is_choice:
            entry["answerCoding"] = {
                "system": code_system(self.questionnaire, question, self.url_base),
                "code": str(value),
                "display": question.option_text(str(value)),
            }
        elif question.type in NUMBER_TYPES and _is_number(value):
            entry.update(_answer_number(question.type, value))
        elif question.type == "dato":
            entry["answerDate"] = str(value)
        else:
            entry["answerString"] = str(value)
        return entry

    def fhirpath(self, condition: Condition) -> str:
        """The condition as FHIRPath over the QuestionnaireResponse (SDC): for other tools;
        never read back (our `condition` extension is)."""
        if condition.all_of or condition.any_of:
            joiner = " and " if condition.all_of else " or "
            parts = condition.all_of or condition.any_of
            return joiner.join(f"({self.fhirpath(c)})" for c in parts)
        key, operator, value = str(condition.question), condition.operator, condition.value
        answers = f"%resource.repeat(item).where(linkId='{_fhirpath_text(key)}').answer.value"
        if operator == "er_besvart":
            return f"{answers}.exists()" if value else f"{answers}.empty()"
        if operator in ("storre_enn", "mindre_enn"):
            sign = ">" if operator == "storre_enn" else "<"
            return f"{answers} {sign} {_fhirpath_literal(value)}"
        question = self.questionnaire.question(key)
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if question.is_choice:
            tests = [f"{answers}.code contains {_fhirpath_literal(str(v))}" for v in values]
        elif question.type in NUMBER_TYPES:
            tests = [f"{answers} = {_fhirpath_literal(v)}" for v in values]
        else:
            tests = [f"{answers}.toString() = {_fhirpath_literal(str(v))}" for v in values]
        among = " or ".join(tests)
        if operator == "ikke_er":
            return f"{answers}.exists() and ({among}).not()"
        return among if len(tests) == 1 else f"({among})"


def help_item(link_id: str, text: str) -> dict[str, Any]:
    control = {
        "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}],
        "text": "Help-Button",
    }
    return {
        "extension": [{"url": EXT_ITEM_CONTROL, "valueCodeableConcept": control}],
        "linkId": link_id,
        "text": text,
        "type": "display",
    }


# --------------------------------------------------------------- conditions as enableWhen

# One enableWhen: (question key, FHIR operator, value: our code, a number, text or a bool).
_Atom = tuple[str, str, Any]


def _atoms(condition: Condition) -> tuple[str, list[_Atom]] | None:
    """The condition as one list of enableWhen with its behavior ("all", "any", or "one"
    for a single entry), or None when FHIR's flat list cannot say it."""
    if condition.all_of or condition.any_of:
        wanted = "all" if condition.all_of else "any"
        parts = [_atoms(c) for c in condition.all_of or condition.any_of]
        if len(parts) == 1:
            return parts[0]
        atoms: list[_Atom] = []
        for part in parts:
            if part is None or part[0] not in ("one", wanted):
                return None
            atoms += part[1]
        return wanted, atoms
    key, operator, value = str(condition.question), condition.operator, condition.value
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if operator in ("er", "inneholder"):
        return ("any" if len(values) > 1 else "one"), [(key, "=", v) for v in values]
    if operator == "ikke_er":
        return "all", [(key, "exists", True)] + [(key, "!=", v) for v in values]
    if operator in ("storre_enn", "mindre_enn"):
        return "one", [(key, ">" if operator == "storre_enn" else "<", value)]
    return "one", [(key, "exists", bool(value))]


def _from_atoms(flat: tuple[str, list[_Atom]], is_multiple: Callable[[str], bool]) -> Condition:
    """The condition a flat enableWhen list says, in our notation (the inverse of `_atoms`
    where `_atoms` is defined, and exact for FHIR's meaning otherwise: a `!=` not
    guarded by `exists` is also true when the question is unanswered)."""
    behavior, atoms = flat
    any_of = behavior == "any"
    leaves: list[Condition] = []
    index = 0

    def run(start: int, key: str, operator: str) -> list[Any]:
        """The values of the entries from `start` on with this key and operator."""
        values: list[Any] = []
        while start + len(values) < len(atoms) and atoms[start + len(values)][:2] == (
            key,
            operator,
        ):
            values.append(atoms[start + len(values)][2])
        return values

    while index < len(atoms):
        key, operator, value = atoms[index]
        index += 1
        if operator == "=":
            values = [value] + (run(index, key, "=") if any_of else [])
            index += len(values) - 1
            name = "inneholder" if is_multiple(key) else "er"
            leaves.append(Condition(key, name, values[0] if len(values) == 1 else values))
        elif operator == "exists" and value is True and not any_of and run(index, key, "!="):
            values = run(index, key, "!=")
            index += len(values)
            leaves.append(Condition(key, "ikke_er", values[0] if len(values) == 1 else values))
        elif operator == "!=":
            values = [value] + ([] if any_of else run(index, key, "!="))
            index += len(values) - 1
            unequal = Condition(key, "ikke_er", values[0] if len(values) == 1 else values)
            leaves.append(Condition(any_of=(unequal, Condition(key, "er_besvart", False))))
        elif operator == "exists":
            leaves.append(Condition(key, "er_besvart", bool(value)))
        else:
            leaves.append(Condition(key, "storre_enn" if operator == ">" else "mindre_enn", value))
    if len(leaves) == 1:
        return leaves[0]
    if any_of:
        flattened = [part for leaf in leaves for part in (leaf.any_of or (leaf,))]
        return Condition(any_of=tuple(flattened))
    return Condition(all_of=tuple(leaves))


# =========================================================================== responses


def to_fhir_response(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    identifier: str,
    authored: dt.datetime | None,
    status: str = "completed",
    version: int | None = None,
    url_base: str = URL_BASE,
) -> dict[str, Any]:
    """One respondent's answers (as stored: codes, lists of codes, numbers, text, ISO
    dates) as a FHIR R4 QuestionnaireResponse, validated.

    Nothing about the person: `identifier` is an opaque id chosen by the caller. Answers
    to questions hidden by a condition are left out (they do not count, and FHIR wants no
    answers on disabled items), and so are values the question cannot hold.
    """
    if status not in RESPONSE_STATUSES:
        raise ValueError(f"status must be one of {RESPONSE_STATUSES}, not {status!r}")
    if authored is not None and authored.utcoffset() is None:
        raise ValueError("authored must be timezone-aware")
    canonical = questionnaire_url(questionnaire, url_base)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": f"{url_base.rstrip('/')}/respondent", "value": identifier},
        "questionnaire": f"{canonical}|{version}" if version is not None else canonical,
        "status": status,
    }
    if authored is not None:
        data["authored"] = authored.isoformat()
    visible = questionnaire.visible_keys(dict(answers))
    question_keys = {q.key for q in questionnaire.questions}
    groups = []
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            if question.key not in visible or question.key not in answers:
                continue
            values = _response_answers(questionnaire, question, answers[question.key], url_base)
            if values:
                items.append({"linkId": question.key, "text": question.text, "answer": values})
        if items:
            link_id = section.key if section.key not in question_keys else section.key + _SECTION
            groups.append({"linkId": link_id, "text": section.title, "item": items})
    if groups:
        data["item"] = groups
    _validate_output(data, "QuestionnaireResponse")
    return data


def _response_answers(
    questionnaire: Questionnaire, question: Question, value: Any, url_base: str
) -> list[dict[str, Any]]:
    if value is None or value == "" or value == []:
        return []
    if question.is_choice:
        codes = value if isinstance(value, list) else [value]
        known = {o.code for o in question.options}
        system = code_system(questionnaire, question, url_base)
        return [
            {"valueCoding": {"system": system, "code": c, "display": question.option_text(c)}}
            for c in codes
            if isinstance(c, str) and c in known
        ]
    if question.type in NUMBER_TYPES:
        if not _is_number(value):
            return []
        if question.type != "desimaltall" and not float(value).is_integer():
            return []
        return [_number_value(question.type, value, prefix="value")]
    if question.type == "dato":
        try:
            return [{"valueDate": dt.date.fromisoformat(str(value)).isoformat()}]
        except ValueError:
            return []
    return [{"valueString": value}] if isinstance(value, str) else []


# =========================================================================== helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number_value(qtype: str, value: Any, prefix: str = "value") -> dict[str, Any]:
    if qtype in ("heltall", "prosent") and float(value).is_integer():
        return {f"{prefix}Integer": int(value)}
    return {f"{prefix}Decimal": value}


def _answer_number(qtype: str, value: Any) -> dict[str, Any]:
    return _number_value(qtype, value, prefix="answer")


def _fhirpath_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _fhirpath_literal(value: Any) -> str:
    if _is_number(value):
        return repr(value)
    return f"'{_fhirpath_text(str(value))}'"


def _validate_output(data: dict[str, Any], kind: str) -> None:
    """What we write must be valid FHIR: a failure here is a bug, not the user's."""
    model = _model(kind)
    try:
        model.model_validate(data)
    except PydanticError as exc:  # pragma: no cover - would be a bug in this module
        raise AssertionError(f"invalid FHIR {kind}: {exc}") from exc


def _model(kind: str) -> Any:
    # Imported when first needed: the models are many modules and most requests need none.
    if kind == "Questionnaire":
        from fhir.resources.R4B.questionnaire import Questionnaire

        return Questionnaire
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    return QuestionnaireResponse


# =========================================================================== import


def from_fhir_json(text: str | bytes) -> tuple[str, list[str]]:
    """`from_fhir` for the text of a JSON file; bad JSON raises QuestionnaireError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            [
                _("Filen er ikke gyldig JSON (linje %(line)s, tegn %(column)s): %(problem)s")
                % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}
            ]
        ) from None
    except UnicodeDecodeError:
        raise QuestionnaireError([_("Filen er ikke i UTF-8.")]) from None
    except RecursionError:
        raise QuestionnaireError(
            [_("Filen er nestet for dypt til å være et spørreskjema.")]
        ) from None
    return from_fhir(data)


def looks_like_fhir(name: str, text: str) -> bool:
    """Whether an uploaded or named file is FHIR JSON rather than our YAML: by the name's
    ending, or by content (a JSON object with a resourceType; plain YAML never has one)."""
    if name.lower().endswith(".json"):
        return True
    if not text.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and "resourceType" in data


def from_fhir(data: Any) -> tuple[str, list[str]]:
    """A FHIR R4 Questionnaire (JSON as a dict) in our file format.

    Returns the YAML text and a list of Norwegian warnings, one for each thing that could
    not be represented or was given a default. Raises QuestionnaireError (in Norwegian)
    when `data` is not a valid FHIR Questionnaire or nothing usable is left of it.
    """
    _validate_input(data)
    try:
        doc, warnings = _Reader(data).document()
    except RecursionError:
        raise QuestionnaireError(
            [_("Filen er nestet for dypt til å være et spørreskjema.")]
        ) from None
    text = dump_yaml(doc)
    try:
        parse_questionnaire(text)
    except QuestionnaireError as exc:
        # What the reader did not foresee: the loader's own words, by the keys given.
        raise QuestionnaireError(exc.problems) from None
    return text, warnings


def _validate_input(data: Any) -> None:
    if not isinstance(data, dict):
        raise QuestionnaireError([_("Filen må inneholde en FHIR-ressurs (et JSON-objekt).")])
    kind = data.get("resourceType")
    if kind != "Questionnaire":
        raise QuestionnaireError(
            [
                _("Filen er ikke et FHIR Questionnaire (resourceType er «%(kind)s»).")
                % {"kind": kind if isinstance(kind, str) else _("ikke oppgitt")}
            ]
        )
    try:
        _model("Questionnaire").model_validate(data)
    except PydanticError as exc:
        problems = [_fhir_problem(data, error) for error in exc.errors(include_url=False)]
        text = json.dumps(data)
        if "answerConstraint" in text or "disabledDisplay" in text:
            problems.insert(0, _("Filen ser ut som FHIR R5, som ikke støttes; bruk FHIR R4."))
        raise QuestionnaireError(problems[:20]) from None
    except RecursionError:
        raise QuestionnaireError(
            [_("Filen er nestet for dypt til å være et spørreskjema.")]
        ) from None


def _fhir_problem(data: Any, error: Any) -> str:
    """One validation error as «item[2] (linkId a) → enableWhen[0]: mangler svar»."""
    parts: list[str] = []
    node = data
    for step in error["loc"]:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1]}[{step}]"] if parts else [f"[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("linkId"), str):
                parts[-1] += f" (linkId {node['linkId']})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    where = "FHIR " + (" → ".join(parts) or "Questionnaire")
    kind = str(error["type"])
    if kind.endswith("missing"):
        message = _("mangler")
    elif kind == "extra_forbidden":
        message = _("ukjent element (finnes ikke i FHIR R4)")
    elif "Expect any of field value" in str(error.get("msg", "")):
        message = _("mangler verdi (f.eks. answerCoding eller answerBoolean)")
    elif "but got multiple" in str(error.get("msg", "")):
        message = _("har flere verdier der bare én er tillatt")
    else:
        shown = json.dumps(error.get("input"), ensure_ascii=False)
        message = _("ugyldig verdi %(value)s") % {"value": shown[:60]}
    return f"{where}: {message}"


@dataclass
class _Imported:
    """A question read so far: what conditions that point to it need."""

    key: str
    type: str
    codes: dict[Any, str] = field(default_factory=dict)  # FHIR code/value → our code


# Item elements the reader understands; any other is named in a warning.
_ITEM_FIELDS = {
    "linkId",
    "text",
    "type",
    "required",
    "repeats",
    "enableWhen",
    "enableBehavior",
    "answerOption",
    "answerValueSet",
    "item",
    "extension",
    "maxLength",
    "id",
}
_ROOT_FIELDS = {
    "resourceType",
    "id",
    "meta",
    "text",
    "language",
    "url",
    "version",
    "name",
    "title",
    "status",
    "date",
    "experimental",
    "subjectType",
    "description",
    "useContext",
    "extension",
    "item",
    "contained",
}
_OPERATORS = ("exists", "=", "!=", ">", "<", ">=", "<=")


class _Reader:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.warnings: list[str] = []
        self.questions: dict[str, _Imported] = {}  # by linkId, in order read
        self.keys: set[str] = set()
        self.section_keys: set[str] = set()
        self.no_scope: list[str] = []
        self.renamed: list[str] = []  # linkIds that are not keys of our format
        self.contained = {
            f"#{r.get('id')}": r
            for r in data.get("contained") or []
            if isinstance(r, dict) and r.get("resourceType") == "ValueSet"
        }

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}" if where else message)

    # ------------------------------------------------------------------ the questionnaire

    def document(self) -> tuple[dict[str, Any], list[str]]:
        data = self.data
        extensions = _extensions(data)
        doc: dict[str, Any] = {"nokkel": self.questionnaire_key(extensions)}
        title = _text(data.get("title")) or _text(data.get("name"))
        if not title:
            title = doc["nokkel"]
            self.warn("", _("Skjemaet har ingen tittel; nøkkelen er brukt som tittel."))
        doc["tittel"] = title
        descriptions = [_text(data.get("description"))]
        audience = self.audience(data.get("useContext"))
        minutes = _first(extensions, EXT_MINUTES, "valueInteger")
        self.unknown_root(data, extensions)
        sections: list[dict[str, Any]] = []
        loose: list[dict[str, Any]] = []
        for item in _items(data):
            if item.get("type") == "group":
                self.loose_section(loose, sections)
                section = self.section(item)
                if section is not None:
                    sections.append(section)
            elif item.get("type") == "display" and not sections and not loose:
                descriptions.append(_text(item.get("text")))
            elif item.get("type") == "display":
                self.warn(
                    self.name(item),
                    _("tekst (display) utenfor en gruppe kan ikke representeres og er utelatt"),
                )
            else:
                loose.append(item)
        self.loose_section(loose, sections)
        if not sections:
            raise QuestionnaireError(
                self.warnings + [_("Skjemaet har ingen spørsmål som kan representeres.")]
            )
        description = "\n\n".join(d for d in descriptions if d)
        if description:
            doc["beskrivelse"] = description
        if audience:
            doc["malgruppe"] = audience
        if isinstance(minutes, int) and not isinstance(minutes, bool) and 1 <= minutes <= 240:
            doc["estimert_tid_minutter"] = minutes
        doc["seksjoner"] = sections
        if self.renamed:
            self.warn(
                "",
                _(
                    "%(count)s linkId-er er ikke gyldige nøkler (små bokstaver, tall, _ og .) "
                    "og har fått nye: %(keys)s"
                )
                % {"count": len(self.renamed), "keys": ", ".join(self.renamed)},
            )
        if self.no_scope:
            shown = ", ".join(self.no_scope[:10]) + (" …" if len(self.no_scope) > 10 else "")
            self.warn(
                "",
                _(
                    "%(count)s spørsmål mangler omfang (organisasjon eller person) og er satt "
                    "til «person» (vurderinger); rett de som gjelder fakta om organisasjonen: "
                    "%(keys)s"
                )
                % {"count": len(self.no_scope), "keys": shown},
            )
        return doc, self.warnings

    def questionnaire_key(self, extensions: list[dict[str, Any]]) -> str:
        given = _first(extensions, EXT_KEY, "valueString")
        if isinstance(given, str) and FILE_KEY_RE.match(given):
            return given
        for source in (self.data.get("name"), self.data.get("id"), self.data.get("title")):
            if isinstance(source, str) and source.strip():
                split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", source)
                key = _slug(split, "-")
                if key and not key[0].isalpha():
                    key = f"skjema-{key}"
                if key and FILE_KEY_RE.match(key):
                    return key
        self.warn("", _("Skjemaet har ingen nøkkel; nøkkelen «importert» er brukt."))
        return "importert"

    def audience(self, contexts: Any) -> str:
        texts = []
        for context in contexts if isinstance(contexts, list) else []:
            code = (context.get("code") or {}).get("code") if isinstance(context, dict) else None
            concept = context.get("valueCodeableConcept") if isinstance(context, dict) else None
            if code == "user" and isinstance(concept, dict):
                text = _text(concept.get("text")) or ", ".join(
                    _text(c.get("display")) or _text(c.get("code"))
                    for c in concept.get("coding") or []
                    if isinstance(c, dict)
                )
                if text:
                    texts.append(text)
                    continue
            self.warn("", _("useContext annet enn målgruppe (user) er utelatt"))
        return "; ".join(texts)

    def unknown_root(self, data: dict[str, Any], extensions: list[dict[str, Any]]) -> None:
        dropped = sorted(k for k in data if k not in _ROOT_FIELDS and not k.startswith("_"))
        dropped += [
            _("utvidelse %(url)s") % {"url": e.get("url")}
            for e in extensions
            if e.get("url") not in (EXT_KEY, EXT_MINUTES)
        ]
        if dropped:
            self.warn(
                "",
                _("Dette på skjemanivå kan ikke representeres og er utelatt: %(names)s")
                % {"names": ", ".join(str(d) for d in dropped)},
            )

    # ------------------------------------------------------------------ sections

    def loose_section(self, loose: list[dict[str, Any]], sections: list[dict[str, Any]]) -> None:
        if not loose:
            return
        key = self.section_key(f"sporsmal_{len(sections) + 1}" if sections else "sporsmal")
        names = ", ".join(str(i.get("linkId")) for i in loose)
        self.warn(
            "",
            _(
                "spørsmål utenfor en gruppe (%(names)s) er samlet i seksjonen «%(key)s», "
                "med tema «%(theme)s»"
            )
            % {"names": names, "key": key, "theme": "bakgrunn"},
        )
        questions = [q for item in loose for q in self.question(item, None)]
        loose.clear()
        if questions:
            sections.append(
                {"nokkel": key, "tittel": _("Spørsmål"), "tema": "bakgrunn", "sporsmal": questions}
            )

    def section(self, item: dict[str, Any]) -> dict[str, Any] | None:
        where = self.name(item, _("gruppe"))
        extensions = _extensions(item)
        given = _first(extensions, EXT_KEY, "valueString")
        key = self.section_key(given if isinstance(given, str) else str(item.get("linkId")))
        title = _text(item.get("text"))
        if not title:
            title = key
            self.warn(where, _("gruppen har ingen tekst; nøkkelen er brukt som tittel"))
        doc: dict[str, Any] = {"nokkel": key, "tittel": title, "tema": self.theme(item, where)}
        condition = self.condition(item, where)
        self.unknown_item_fields(item, where, {EXT_THEME, EXT_KEY})
        children = _items(item)
        intro = []
        while children and children[0].get("type") == "display" and not _is_help(children[0]):
            intro.append(_text(children.pop(0).get("text")))
        if any(intro):
            doc["introduksjon"] = "\n\n".join(t for t in intro if t)
        if condition is not None:
            doc["vis_hvis"] = condition_document(condition)
        questions = self.questions_of(children, None)
        if not questions:
            self.warn(where, _("gruppen har ingen spørsmål som kan representeres og er utelatt"))
            return None
        doc["sporsmal"] = questions
        return doc

    def questions_of(
        self, children: list[dict[str, Any]], context: Condition | None
    ) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        for child in children:
            kind = child.get("type")
            where = self.name(child)
            if kind == "group":
                self.warn(
                    self.name(child, _("gruppe")),
                    _("en gruppe inne i en gruppe er slått sammen med seksjonen rundt"),
                )
                own = self.condition(child, self.name(child, _("gruppe")))
                self.unknown_item_fields(child, self.name(child, _("gruppe")), set())
                if _text(child.get("text")):
                    self.warn(
                        self.name(child, _("gruppe")),
                        _("overskriften «%(text)s» er utelatt")
                        % {"text": _text(child.get("text"))},
                    )
                questions += self.questions_of(_items(child), _both(context, own))
            elif kind == "display":
                self.warn(where, _("tekst (display) mellom spørsmålene er utelatt"))
            else:
                questions += self.question(child, context)
        return questions

    def theme(self, item: dict[str, Any], where: str) -> str:
        given = _first(_extensions(item), EXT_THEME, "valueCode")
        if isinstance(given, str) and given in THEMES:
            return given
        title = _text(item.get("text")).casefold()
        for theme, label in THEMES.items():
            if title in (label.casefold(), theme):
                self.warn(
                    where,
                    _("gruppen mangler tema; tema «%(theme)s» er valgt etter overskriften")
                    % {"theme": theme},
                )
                return theme
        self.warn(
            where,
            _("gruppen mangler tema (%(themes)s) og har fått «bakgrunn»; rett det i filen")
            % {"themes": ", ".join(THEMES)},
        )
        return "bakgrunn"

    def section_key(self, raw: str) -> str:
        key = _unique(_key(raw, "s"), self.section_keys)
        self.section_keys.add(key)
        return key

    # ------------------------------------------------------------------ questions

    def question(self, item: dict[str, Any], context: Condition | None) -> list[dict[str, Any]]:
        """The question, and those nested under it (flattened after it)."""
        where = self.name(item)
        link_id = str(item.get("linkId"))
        extensions = _extensions(item)
        qtype = self.question_type(item, where, extensions)
        nested = [c for c in _items(item) if c.get("type") != "display"]
        help_texts = [_text(c.get("text")) for c in _items(item) if c.get("type") == "display"]
        if any(c.get("type") == "display" and not _is_help(c) for c in _items(item)):
            self.warn(where, _("tekst (display) under spørsmålet er brukt som hjelpetekst"))
        if qtype is None:
            self.warn_nested(nested, where)
            return self.questions_of(nested, context)
        key = self.question_key(link_id)
        text = _text(item.get("text"))
        if not text:
            text = key
            self.warn(where, _("spørsmålet har ingen tekst; nøkkelen er brukt som tekst"))
        doc: dict[str, Any] = {"nokkel": key, "tekst": text}
        help_text = "\n\n".join(t for t in help_texts if t)
        if help_text:
            doc["hjelpetekst"] = help_text
        condition = _both(context, self.condition(item, where))
        imported = _Imported(key, qtype)
        known = {EXT_TYPE, EXT_SCOPE, EXT_CONDITION, EXT_ENABLE_WHEN_EXPRESSION}
        doc["type"] = qtype  # here in the file's order; the options may still change it
        if qtype in ("enkeltvalg", "flervalg", "skala4", "ja_nei"):
            qtype = self.options(item, where, qtype, doc, imported)
        imported.type = qtype
        doc["type"] = qtype
        if item.get("required") is True:
            doc["obligatorisk"] = True
        scope = _first(extensions, EXT_SCOPE, "valueCode")
        if scope in SCOPES:
            if scope != "person":
                doc["omfang"] = scope
        else:
            self.no_scope.append(key)
        if item.get("repeats") is True and qtype != "flervalg":
            self.warn(where, _("flere svar (repeats) støttes bare for flervalg; ett svar er brukt"))
        known |= self.limits(item, where, qtype, extensions, doc)
        self.text_limit(item, where, qtype)
        if condition is not None:
            doc["vis_hvis"] = condition_document(condition)
        self.unknown_item_fields(item, where, known)
        self.questions[link_id] = imported
        self.keys.add(key)
        self.warn_nested(nested, where)
        return [doc] + self.questions_of(nested, context)

    def warn_nested(self, nested: list[dict[str, Any]], where: str) -> None:
        if nested:
            self.warn(
                where,
                _("spørsmål under spørsmålet (%(names)s) er flyttet ut og står etter det")
                % {"names": ", ".join(str(c.get("linkId")) for c in nested)},
            )

    def question_key(self, link_id: str) -> str:
        key = _unique(_key(link_id, "q"), self.keys)
        if key != link_id:
            self.renamed.append(f"{link_id} → {key}")
        return key

    def question_type(
        self, item: dict[str, Any], where: str, extensions: list[dict[str, Any]]
    ) -> str | None:
        kind = item.get("type")
        repeats = item.get("repeats") is True
        ours = _first(extensions, EXT_TYPE, "valueCode")
        if isinstance(ours, str) and FHIR_TYPES.get(ours) == kind:
            if kind != "choice" or (ours == "flervalg") == repeats:
                return ours
        simple = {
            "integer": "heltall",
            "decimal": "desimaltall",
            "string": "kort_tekst",
            "text": "lang_tekst",
            "date": "dato",
            "url": "kort_tekst",
        }
        if kind in simple:
            return simple[kind]
        if kind in ("choice", "open-choice", "coding"):
            if kind == "open-choice":
                self.warn(
                    where,
                    _("eget fritekstsvar (open-choice) støttes ikke; bare alternativene er med"),
                )
            return "flervalg" if repeats else "enkeltvalg"
        if kind == "boolean":
            return "ja_nei"
        if kind == "dateTime":
            self.warn(where, _("dato og klokkeslett (dateTime) er gjort om til bare dato"))
            return "dato"
        if kind == "time":
            self.warn(where, _("klokkeslett (time) er gjort om til kort tekst"))
            return "kort_tekst"
        if kind == "quantity":
            self.warn(where, _("mengde med enhet (quantity) er gjort om til desimaltall"))
            return "desimaltall"
        self.warn(
            where,
            _("typen «%(type)s» kan ikke representeres; spørsmålet er utelatt") % {"type": kind},
        )
        return None

    def options(
        self,
        item: dict[str, Any],
        where: str,
        qtype: str,
        doc: dict[str, Any],
        imported: _Imported,
    ) -> str:
        """Read the options into `doc`; return the type they allow."""
        if item.get("type") == "boolean":
            imported.codes = {True: "ja", False: "nei"}
            return "ja_nei"
        raw = self.raw_options(item, where)
        options: list[dict[str, Any]] = []
        codes: set[str] = set()
        renamed: list[str] = []
        for index, (given, text, exclusive) in enumerate(raw, start=1):
            code = given if isinstance(given, str) and CODE_RE.match(given) else None
            if code is None:
                code = _slug(str(given) if given not in (None, "") else text) or f"alt{index}"
                if not code[0].isalnum():
                    code = f"alt{index}"
            code = _unique(code, codes)
            if code != given:
                renamed.append(f"{given} → {code}")
            codes.add(code)
            imported.codes[given] = code
            options.append({"kode": code, "tekst": text or code, "eksklusiv": exclusive})
        if renamed:
            self.warn(
                where,
                _("kodene er gjort om til gyldige koder (små bokstaver, tall og _): %(codes)s")
                % {"codes": ", ".join(renamed)},
            )
        fixed = {"skala4": SCALE4, "ja_nei": YES_NO}
        pairs = [(o["kode"], o["tekst"]) for o in options]
        vet_ikke = bool(pairs) and pairs[-1] == VET_IKKE_OPTION
        base = pairs[:-1] if vet_ikke else pairs
        if qtype not in fixed and item.get("repeats") is not True:
            for name, values in fixed.items():
                if (
                    tuple(base) == values
                    and qtype == "enkeltvalg"
                    and not _has(_extensions(item), EXT_TYPE)
                ):
                    qtype = name
        if qtype in fixed:
            if tuple(base) == fixed[qtype]:
                if vet_ikke:
                    doc["vet_ikke"] = True
                return qtype
            self.warn(
                where,
                _("alternativene er ikke de faste for %(type)s; lest som enkeltvalg")
                % {"type": qtype},
            )
            qtype = "enkeltvalg"
        multiple = qtype == "flervalg"
        shorthand = bool(options) and (
            options[-1]["kode"] == VET_IKKE
            and options[-1]["tekst"] == VET_IKKE_OPTION[1]
            and options[-1]["eksklusiv"] == multiple
        )
        if shorthand:
            options.pop()
        if len(options) < 2:
            self.warn(
                where,
                _("et valgspørsmål trenger minst to alternativer; gjort om til kort tekst"),
            )
            imported.codes = {}
            return "kort_tekst"
        for option in options:
            if option.pop("eksklusiv") and multiple:
                option["eksklusiv"] = True
        doc["alternativer"] = options
        if shorthand:
            doc["vet_ikke"] = True
        return qtype

    def raw_options(self, item: dict[str, Any], where: str) -> list[tuple[Any, str, bool]]:
        """(code or value as in the file, text, exclusive) of each option."""
        found: list[tuple[Any, str, bool]] = []
        for option in item.get("answerOption") or []:
            exclusive = _first(_extensions(option), EXT_OPTION_EXCLUSIVE, "valueBoolean") is True
            coding = option.get("valueCoding")
            if isinstance(coding, dict):
                code = coding.get("code")
                text = _text(coding.get("display")) or _text(code)
                found.append((code if code else text, text, exclusive))
                continue
            for kind in ("valueString", "valueInteger", "valueDate", "valueTime"):
                if kind in option:
                    found.append((option[kind], _text(str(option[kind])), exclusive))
                    break
            else:
                self.warn(where, _("et alternativ som er en referanse (valueReference) er utelatt"))
        value_set = item.get("answerValueSet")
        if isinstance(value_set, str):
            contained = self.contained.get(value_set)
            if contained is None:
                self.warn(
                    where,
                    _("alternativer fra verdisettet %(url)s kan ikke hentes; legg dem inn i filen")
                    % {"url": value_set},
                )
            else:
                for concept in _value_set_concepts(contained):
                    code = concept.get("code")
                    found.append((code, _text(concept.get("display")) or _text(code), False))
        return found

    def limits(
        self,
        item: dict[str, Any],
        where: str,
        qtype: str,
        extensions: list[dict[str, Any]],
        doc: dict[str, Any],
    ) -> set[str]:
        """Unit, min and max into `doc`; the extensions read (or knowingly left out)."""
        read = {EXT_UNIT, EXT_MIN, EXT_MAX}
        numeric = qtype in NUMBER_TYPES
        unit = _first(extensions, EXT_UNIT, "valueCoding")
        if isinstance(unit, dict):
            shown = _text(unit.get("display")) or _text(unit.get("code"))
            implied = qtype == "prosent" and unit.get("code") == "%" and shown == "%"
            if not numeric and shown:
                self.warn(where, _("enhet gjelder bare talltyper og er utelatt"))
            elif shown and not implied:
                doc["enhet"] = shown
        for url, name in ((EXT_MIN, "min"), (EXT_MAX, "maks")):
            entry = next((e for e in extensions if e.get("url") == url), None)
            if entry is None:
                continue
            value: Any = entry.get("valueInteger", entry.get("valueDecimal"))
            if not numeric or not _is_number(value):
                self.warn(
                    where,
                    _("grensen %(name)s kan ikke representeres og er utelatt") % {"name": name},
                )
                continue
            if qtype != "desimaltall" and not float(value).is_integer():
                value = math.ceil(value) if name == "min" else math.floor(value)
            doc[name] = value
        if item.get("type") == "quantity":
            read.add(f"{_CORE}/questionnaire-unitOption")
        return read

    def text_limit(self, item: dict[str, Any], where: str, qtype: str) -> None:
        length = item.get("maxLength")
        limit = _TEXT_LIMITS.get(qtype)
        if isinstance(length, int) and length != limit:
            self.warn(
                where,
                _("maks lengde %(length)s kan ikke representeres; grensen er %(limit)s tegn")
                % {"length": length, "limit": limit or "–"},
            )

    def unknown_item_fields(self, item: dict[str, Any], where: str, known: set[str]) -> None:
        known = known | {EXT_CONDITION, EXT_ENABLE_WHEN_EXPRESSION, EXT_ITEM_CONTROL}
        dropped = [k for k in item if k not in _ITEM_FIELDS and not k.startswith("_")]
        if isinstance(item.get("answerValueSet"), str) and item.get("type") not in (
            "choice",
            "open-choice",
            "coding",
        ):
            dropped.append("answerValueSet")
        dropped += [
            _("utvidelse %(url)s") % {"url": e.get("url")}
            for e in _extensions(item)
            if e.get("url") not in known
        ]
        if dropped:
            self.warn(
                where,
                _("kan ikke representeres og er utelatt: %(names)s")
                % {"names": ", ".join(str(d) for d in dropped)},
            )

    def name(self, item: dict[str, Any], kind: str | None = None) -> str:
        return f"{kind or _('spørsmål')} {item.get('linkId')}"

    # ------------------------------------------------------------------ conditions

    def condition(self, item: dict[str, Any], where: str) -> Condition | None:
        extensions = _extensions(item)
        entries = item.get("enableWhen") or []
        behavior = item.get("enableBehavior") or "all"
        exact = self.exact_condition(_first(extensions, EXT_CONDITION, "valueString"))
        expression = _has(extensions, EXT_ENABLE_WHEN_EXPRESSION)
        if exact is not None:
            flat = _atoms(exact)
            if flat is None and not entries and expression:
                return exact
            if flat is not None and entries:
                given = [self.atom(e) for e in entries]
                same_behavior = len(given) == 1 or behavior == flat[0]
                if same_behavior and given == flat[1]:
                    return exact
            self.warn(
                where,
                _("betingelsen i utvidelsen stemmer ikke med enableWhen; enableWhen er brukt"),
            )
        if not entries:
            if expression:
                self.warn(
                    where,
                    _(
                        "betingelsen som FHIRPath (enableWhenExpression) kan ikke leses; vises alltid"
                    ),
                )
            return None
        atoms: list[_Atom] = []
        for entry in entries:
            atom = self.atom(entry)
            if isinstance(atom, str):
                self.warn(where, _("betingelsen er utelatt, vises alltid: %(why)s") % {"why": atom})
                return None
            atoms.append(atom)
        if behavior not in ("all", "any"):
            behavior = "all"
        by_key = {q.key: q for q in self.questions.values()}
        return _from_atoms(
            (behavior if len(atoms) > 1 else "one", atoms),
            lambda key: by_key[key].type == "flervalg",
        )

    def exact_condition(self, text: Any) -> Condition | None:
        """Our `condition` extension, if it reads and names only questions read before."""
        if not isinstance(text, str):
            return None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError:
            return None
        problems = Problems()
        by_key = {q.key for q in self.questions.values()}
        condition = read_condition(raw, "", problems, lambda leaf, _where: leaf)
        if problems or condition is None or not condition.questions() <= by_key:
            return None
        return condition

    def atom(self, entry: Any) -> _Atom | str:
        """One enableWhen as (our key, operator, our value), or why it cannot be."""
        if not isinstance(entry, dict):
            return _("ugyldig enableWhen")
        link_id, operator = entry.get("question"), entry.get("operator")
        target = self.questions.get(str(link_id))
        if target is None:
            return _("viser til «%(id)s», som ikke er et tidligere spørsmål") % {"id": link_id}
        if operator not in _OPERATORS:
            return _("operatoren «%(op)s» støttes ikke") % {"op": operator}
        kind, value = next(((k, v) for k, v in entry.items() if k.startswith("answer")), ("", None))
        if operator == "exists":
            if kind != "answerBoolean":
                return _("«exists» må ha answerBoolean")
            return target.key, "exists", value is True
        converted = self.answer_value(target, kind, value)
        if converted is None:
            return _("svaret %(kind)s passer ikke til spørsmålet «%(id)s»") % {
                "kind": kind,
                "id": link_id,
            }
        if operator in ("=", "!="):
            return target.key, operator, converted
        if target.type not in NUMBER_TYPES or not _is_number(converted):
            return _("«%(op)s» gjelder bare tall") % {"op": operator}
        if operator in (">", "<"):
            return target.key, operator, converted
        if target.type in ("heltall", "prosent") and float(converted).is_integer():
            # On whole numbers, a >= n is a > n - 1 and a <= n is a < n + 1.
            step = -1 if operator == ">=" else 1
            return target.key, operator[0], int(converted) + step
        return _("«%(op)s» på desimaltall støttes ikke") % {"op": operator}

    def answer_value(self, target: _Imported, kind: str, value: Any) -> Any:
        if target.type in ("enkeltvalg", "flervalg", "skala4", "ja_nei"):
            if kind == "answerCoding" and isinstance(value, dict):
                code = value.get("code") or _text(value.get("display"))
                return target.codes.get(code)
            if kind in ("answerString", "answerInteger", "answerDate", "answerTime"):
                return target.codes.get(value)
            if kind == "answerBoolean" and isinstance(value, bool):
                return target.codes.get(value)
            return None
        if target.type in NUMBER_TYPES and kind in ("answerInteger", "answerDecimal"):
            return value if _is_number(value) else None
        if target.type == "dato" and kind == "answerDate" and isinstance(value, str):
            return value
        if target.type in ("kort_tekst", "lang_tekst") and kind == "answerString":
            return value if isinstance(value, str) else None
        return None


# --------------------------------------------------------------------------- small helpers


def _items(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in node.get("item") or [] if isinstance(i, dict)]


def _extensions(node: Any) -> list[dict[str, Any]]:
    found = node.get("extension") if isinstance(node, dict) else None
    return [e for e in found or [] if isinstance(e, dict)]


def _first(extensions: list[dict[str, Any]], url: str, kind: str) -> Any:
    return next((e.get(kind) for e in extensions if e.get("url") == url), None)


def _has(extensions: list[dict[str, Any]], url: str) -> bool:
    return any(e.get("url") == url for e in extensions)


def _is_help(item: dict[str, Any]) -> bool:
    control = _first(_extensions(item), EXT_ITEM_CONTROL, "valueCodeableConcept")
    codings = control.get("coding") if isinstance(control, dict) else None
    return any(isinstance(c, dict) and c.get("code") == "help" for c in codings or [])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _both(first: Condition | None, second: Condition | None) -> Condition | None:
    if first is None or second is None:
        return first or second
    return Condition(all_of=(first, second))


def _value_set_concepts(value_set: dict[str, Any]) -> list[dict[str, Any]]:
    expansion = (value_set.get("expansion") or {}).get("contains")
    if isinstance(expansion, list):
        return [c for c in expansion if isinstance(c, dict)]
    concepts: list[dict[str, Any]] = []
    for include in (value_set.get("compose") or {}).get("include") or []:
        if isinstance(include, dict):
            concepts += [c for c in include.get("concept") or [] if isinstance(c, dict)]
    return concepts


_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _slug(text: str, separator: str = "_") -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


def _key(raw: str, prefix: str) -> str:
    """A linkId as a key of our format: small letters, digits, _ and . between parts."""
    if KEY_RE.match(raw):
        return raw
    parts = [p for p in (_slug(part) for part in raw.split(".")) if p]
    key = ".".join(parts) or prefix
    if not key[0].isalpha():
        key = prefix + key
    return key if KEY_RE.match(key) else prefix


def _unique(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    number = 2
    while f"{key}_{number}" in taken:
        number += 1
    return f"{key}_{number}"
