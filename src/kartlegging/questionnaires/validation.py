"""Checking a YAML file's structure: pydantic models, problems in Norwegian.

Shared by the questionnaire loader (schema.py), the condition notation
(conditions.py) and the rules loader (recommendations/rules.py). Each loader
checks one mapping at a time with `check`, so the cross-field checks it writes
by hand (references, option codes, duplicates) still run on an object with a
structural problem, and every problem in a file is reported in file order.
pydantic's own English texts are never shown: each error type is turned into
a Norwegian message here.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_origin

import yaml
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    create_model,
)
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails, PydanticCustomError


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: people write these files out in full, and nested
    aliases («billion laughs») would make a 1 kB file expand for hours."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                _("henvisninger som *navn er ikke tillatt; skriv verdien ut der den trengs"),
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """yaml.safe_load, refusing aliases (raises yaml.YAMLError with a Norwegian problem)."""
    return yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader subclass


class Model(BaseModel):
    """A mapping in a YAML file: no unknown fields, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


M = TypeVar("M", bound=Model)


def _number(value: Any) -> int | float:
    # YAML gives int or float; bool is not a number, and .inf/.nan are not usable limits.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PydanticCustomError("number", "not a finite number")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "blank text")
    return value


# A finite number that stays int when written as one (limits are shown as written).
Number = Annotated[int | float, PlainValidator(_number)]
# Text that must say something; whitespace is kept here and normalised by the loaders.
Text = Annotated[str, AfterValidator(_not_blank)]


def one_of(values: Iterable[str]) -> BeforeValidator:
    """Only these values; checked before the type so `type: 5` says «ukjent type '5'»."""
    allowed = tuple(values)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or value not in allowed:
            raise PydanticCustomError("one_of", "not allowed", {"valid": ", ".join(allowed)})
        return value

    return BeforeValidator(check)


@dataclass(frozen=True)
class Place:
    """Where a problem is, for a form or a spreadsheet to show it beside its field:
    positions in the file (1-based; 0 = not inside one) and the field's name in the file."""

    section: int = 0
    question: int = 0
    option: int = 0
    field: str = ""


@dataclass(frozen=True)
class Problem:
    text: str  # «seksjon x → spørsmål y: message», as in the file's messages
    message: str
    place: Place


class Problems:
    """Every problem found in one file, each with where it is: in words (`items`)
    and, inside `within`, as a Place (`entries`)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.entries: list[Problem] = []
        self._place = Place()

    def add(self, where: str, message: str, *, field: str = "") -> None:
        text = f"{where}: {message}" if where else message
        self.items.append(text)
        place = self._place
        if field and not place.field:
            place = dataclasses.replace(place, field=field)
        self.entries.append(Problem(text, message, place))

    @contextlib.contextmanager
    def within(self, **place: Any) -> Iterator[None]:
        """Problems added inside are at this place (a field given here wins over one
        given to `add`: a condition's own fields are all the condition's field)."""
        outer = self._place
        self._place = dataclasses.replace(outer, **place)
        try:
            yield
        finally:
            self._place = outer

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


# pydantic error type → our kind of problem.
_KINDS = {
    "missing": "missing",
    "blank": "missing",
    "extra_forbidden": "extra",
    "bool_type": "bool",
    "string_type": "text",
    "int_type": "integer",
    "int_from_float": "integer",
    "number": "number",
    "float_type": "number",
    "finite_number": "number",
    "one_of": "one_of",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "too_short": "empty",
    "string_pattern_mismatch": "form",
    "greater_than_equal": "range",
    "less_than_equal": "range",
}


def _texts(kind: str, named: bool) -> str:
    """The message for a kind of problem, with the field's name in it or not."""
    texts = {
        "missing": (_("mangler '%(name)s'"), _("mangler")),
        "extra": (
            _("ukjent felt '%(name)s' (gyldige: %(valid)s)"),
            _("ukjent felt (gyldige: %(valid)s)"),
        ),
        "bool": (_("'%(name)s' må være true eller false"), _("må være true eller false")),
        "text": (_("'%(name)s' må være tekst"), _("må være tekst")),
        "integer": (_("'%(name)s' må være et heltall"), _("må være et heltall")),
        "number": (_("'%(name)s' må være et tall"), _("må være et tall")),
        "one_of": (
            _("ukjent %(name)s '%(value)s' (gyldige: %(valid)s)"),
            _("må være en av %(valid)s"),
        ),
        "list": (_("'%(name)s' må være en liste"), _("må være en liste")),
        "mapping": (_("'%(name)s' må være en ordbok"), _("må være en ordbok")),
        "empty": (_("'%(name)s' kan ikke være tom"), _("kan ikke være tom")),
        "form": (_("'%(name)s' har ugyldig form"), _("har ugyldig form")),
        "range": (_("'%(name)s' er utenfor tillatt område"), _("er utenfor tillatt område")),
        "other": (_("'%(name)s' er ugyldig"), _("er ugyldig")),
    }
    return texts[kind][0 if named else 1]


def check(
    model: type[M],
    raw: Any,
    problems: Problems,
    where: str,
    *,
    field_in_path: bool = False,
    messages: Mapping[tuple[str, str], str] | None = None,
    not_a_mapping: str | None = None,
) -> tuple[M, set[str]] | None:
    """Check one YAML mapping against `model`; report each problem at `where`.

    Returns the model and the names of the fields that failed (they hold an
    empty value or their default, so the hand-written checks can still run), or None when `raw`
    is not a mapping at all. `field_in_path` puts the field into the place
    (`regler[0] (ORG-01).mal: mangler`) instead of the message (`mangler 'tekst'`).
    `messages` overrides the message for (field, error type); type "*" is any.
    """
    if not isinstance(raw, Mapping):
        problems.add(where, not_a_mapping or _("må være en ordbok"))
        return None
    try:
        return model.model_validate(raw), set()
    except PydanticError as exc:
        errors = exc.errors(include_url=False)
    names = {(info.alias or name): name for name, info in model.model_fields.items()}
    failed: set[str] = set()
    # Unknown fields first, as a reader scans the mapping; one problem per field.
    for error in sorted(errors, key=lambda e: e["type"] != "extra_forbidden"):
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in failed:
            continue
        failed.add(field)
        message = _message(error, field, names, field_in_path, messages or {})
        place = where
        if field_in_path and field:
            place = f"{where}.{field}" if where else field
        problems.add(place, message, field=field)
    # The fields that passed, validated again (they pass alone), the others empty.
    kept = {alias: value for alias, value in raw.items() if alias in names and alias not in failed}
    return _partial(model).model_validate(kept), {f for f in failed if f in names}


def _message(
    error: ErrorDetails,
    field: str,
    names: Mapping[str, str],
    field_in_path: bool,
    messages: Mapping[tuple[str, str], str],
) -> str:
    text = messages.get((field, error["type"])) or messages.get((field, "*"))
    if text is None or error["type"] == "extra_forbidden":
        text = _texts(_KINDS.get(error["type"], "other"), named=not field_in_path)
    value = str(error.get("input"))
    return text % {
        "name": field,
        "value": value if len(value) <= 60 else value[:59] + "…",
        "valid": ", ".join(names) if error["type"] == "extra_forbidden" else _valid(error),
    }


def _valid(error: ErrorDetails) -> str:
    return str((error.get("ctx") or {}).get("valid", ""))


@functools.cache
def _partial(model: type[M]) -> type[M]:
    """`model` with an empty default for every required field."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            optional = copy.copy(info)
            optional.default = _empty(info.annotation)
            fields[name] = (info.annotation, optional)
    return create_model(model.__name__, __base__=model, **fields)


def _empty(annotation: Any) -> Any:
    """A stand-in for a required field that failed, of the field's own type where possible."""
    kind = get_origin(annotation) or annotation
    empty: dict[Any, Any] = {str: "", list: [], dict: {}}
    return empty.get(kind) if isinstance(kind, type) else None
