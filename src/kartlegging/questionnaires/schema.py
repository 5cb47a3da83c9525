"""The questionnaire format: immutable dataclasses and a validating loader.

Pure Python (no Django models, no database): a questionnaire is data read from
YAML, checked here, and only then stored. Every problem is reported with its
path in the file, in Norwegian, because the person fixing the file is usually
the project leader. See docs/sporreskjema-format.md.

Structure and types are pydantic models (validation.py, shared with the rules
file); the checks between fields (options against the type, conditions against
earlier questions, duplicate keys) are written out below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from kartlegging.questionnaires.conditions import Condition as Condition
from kartlegging.questionnaires.conditions import read_condition
from kartlegging.questionnaires.validation import (
    Model,
    Number,
    Problem,
    Problems,
    Text,
    check,
    load_yaml,
    one_of,
)

# Themes: the six areas of Meld. St. 24 (2019–2020) plus two practical groups.
THEMES: dict[str, str] = {
    "bakgrunn": "Bakgrunn",
    "organisering": "Organisering",
    "apenhet": "Åpenhet om døden",
    "helhetlig": "En helhetlig tilnærming",
    "medvirkning": "Medvirkning og valgfrihet",
    "barn_unge": "Barn og unge",
    "familie": "Familien, pårørende og frivillige",
    "kompetanse": "Kompetanse og kunnskap",
}

SCOPES = ("organisasjon", "person")

CHOICE_TYPES = ("enkeltvalg", "flervalg", "skala4", "ja_nei")
NUMBER_TYPES = ("heltall", "desimaltall", "prosent")
TEXT_TYPES = ("kort_tekst", "lang_tekst")
TYPES = CHOICE_TYPES + NUMBER_TYPES + TEXT_TYPES + ("dato",)

TYPE_LABELS = {
    "enkeltvalg": _lazy("Ett valg"),
    "flervalg": _lazy("Flere valg"),
    "skala4": _lazy("Skala (fire trinn)"),
    "ja_nei": _lazy("Ja/nei"),
    "heltall": _lazy("Heltall"),
    "desimaltall": _lazy("Desimaltall"),
    "prosent": _lazy("Prosent"),
    "kort_tekst": _lazy("Kort tekst"),
    "lang_tekst": _lazy("Lang tekst"),
    "dato": _lazy("Dato"),
}
SCOPE_LABELS = {"organisasjon": _lazy("Fakta om organisasjonen"), "person": _lazy("Vurdering")}

VET_IKKE = "vet_ikke"
# The 4-point scale used in Norwegian surveys of this kind (seed 003).
SCALE4 = (
    ("stor", "I stor grad"),
    ("noen", "I noen grad"),
    ("liten", "I liten grad"),
    ("ikke", "Ikke i det hele tatt"),
)
YES_NO = (("ja", "Ja"), ("nei", "Nei"))
VET_IKKE_OPTION = (VET_IKKE, "Vet ikke")

MAX_TEXT_LENGTH = 10_000
SHORT_TEXT_LENGTH = 500

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
# A questionnaire's own key may also have hyphens (`palliasjon-kommune`).
FILE_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$")


class QuestionnaireError(Exception):
    """Raised with every problem found in a questionnaire file; `entries` say where
    each is (validation.Place) when the loader found it."""

    def __init__(self, problems: list[str], entries: Sequence[Problem] = ()):
        self.problems = problems
        self.entries = list(entries)
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Option:
    code: str
    text: str
    exclusive: bool = False  # e.g. "Ingen": cannot be ticked together with others


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    type: str
    scope: str
    section: str
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    unit: str = ""
    min: float | None = None
    max: float | None = None
    condition: Condition | None = None

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_multiple(self) -> bool:
        return self.type == "flervalg"

    def option_text(self, code: str) -> str:
        for option in self.options:
            if option.code == code:
                return option.text
        return code


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    theme: str
    intro: str = ""
    questions: tuple[Question, ...] = ()
    condition: Condition | None = None

    @property
    def theme_label(self) -> str:
        return THEMES[self.theme]


@dataclass(frozen=True)
class Questionnaire:
    key: str
    title: str
    description: str
    audience: str
    minutes: int
    sections: tuple[Section, ...]
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for question in section.questions:
                self._index[question.key] = question

    @property
    def questions(self) -> list[Question]:
        return list(self._index.values())

    def question(self, key: str) -> Question:
        return self._index[key]

    def theme_questions(self, theme: str) -> list[Question]:
        """The questions of every section with this theme, in questionnaire order."""
        return [q for s in self.sections if s.theme == theme for q in s.questions]

    def has_question(self, key: str) -> bool:
        return key in self._index

    def section_of(self, key: str) -> Section:
        section_key = self._index[key].section
        return next(s for s in self.sections if s.key == section_key)

    def visible_keys(self, answers: dict[str, Any]) -> set[str]:
        """Questions shown for these answers.

        Conditions only point backwards (checked on load), so one pass in
        questionnaire order settles them: a question hidden by a hidden
        question's answer is hidden too, since hidden answers do not count.
        """
        visible: set[str] = set()
        counted: dict[str, Any] = {}
        for section in self.sections:
            section_shown = section.condition is None or section.condition.evaluate(counted)
            for question in section.questions:
                shown = section_shown and (
                    question.condition is None or question.condition.evaluate(counted)
                )
                if shown:
                    visible.add(question.key)
                    if question.key in answers:
                        counted[question.key] = answers[question.key]
        return visible

    def visible_sections(self, answers: dict[str, Any]) -> list[Section]:
        visible = self.visible_keys(answers)
        return [s for s in self.sections if any(q.key in visible for q in s.questions)]


# --------------------------------------------------------------------------- the file's structure

Key = Annotated[str, StringConstraints(pattern=KEY_RE.pattern)]


class _QuestionnaireIn(Model):
    nokkel: Annotated[str, StringConstraints(pattern=FILE_KEY_RE.pattern)]
    tittel: Text
    beskrivelse: str | None = None
    malgruppe: str | None = None
    estimert_tid_minutter: Annotated[int, Field(ge=1, le=240)] = 30
    seksjoner: list[Any] = Field(min_length=1)


class _SectionIn(Model):
    nokkel: Key
    tittel: Text
    tema: Annotated[str, one_of(THEMES)]
    introduksjon: str | None = None
    vis_hvis: Any = None
    sporsmal: list[Any] = Field(min_length=1)


class _QuestionIn(Model):
    nokkel: Key
    tekst: Text
    hjelpetekst: str | None = None
    type: Annotated[str, one_of(TYPES)]
    obligatorisk: bool = False
    omfang: Annotated[str, one_of(SCOPES)] = "person"
    alternativer: list[Any] | None = None
    vet_ikke: bool = False
    enhet: str | None = None
    min: Number | None = None
    maks: Number | None = None
    vis_hvis: Any = None


def _code(value: Any) -> Any:
    # YAML reads ja/nei-like words such as `no` or `yes` as booleans, `1` as a number.
    if value is None or isinstance(value, bool):
        raise PydanticCustomError("yaml_bool", "a yes/no word without quotes")
    return str(value) if isinstance(value, (int, float)) else value


class _OptionIn(Model):
    kode: Annotated[str, BeforeValidator(_code)]
    tekst: Text
    eksklusiv: bool = False


def _messages() -> dict[tuple[str, str], str]:
    """Messages that say more than the general ones (see validation.py)."""
    invalid_key = _("ugyldig nøkkel '%(value)s' (små bokstaver, tall, _ og .)")
    return {
        ("seksjoner", "*"): _("mangler 'seksjoner' (en liste med minst én seksjon)"),
        ("estimert_tid_minutter", "*"): _(
            "estimert_tid_minutter må være et heltall mellom 1 og 240"
        ),
        ("sporsmal", "*"): _("mangler 'sporsmal' (en liste med minst ett spørsmål)"),
        ("nokkel", "string_pattern_mismatch"): invalid_key,
        ("alternativer", "*"): _("'alternativer' må være en liste med 'kode' og 'tekst'"),
        ("kode", "missing"): _("mangler 'kode' (skriv koden i anførselstegn om den er ja/nei)"),
        ("kode", "yaml_bool"): _("mangler 'kode' (skriv koden i anførselstegn om den er ja/nei)"),
    }


# --------------------------------------------------------------------------- loading


def _path(*parts: str) -> str:
    return " → ".join(p for p in parts if p)


def _too_deep() -> QuestionnaireError:
    return QuestionnaireError([_("Filen er nestet for dypt til å være et spørreskjema.")])


def parse_questionnaire(text: str) -> Questionnaire:
    """Parse and validate YAML text; raise QuestionnaireError with every problem."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("linje %(line)s") % {"line": mark.line + 1} if mark else ""
        raise QuestionnaireError(
            [
                _("Filen er ikke gyldig YAML (%(where)s): %(problem)s")
                % {"where": where, "problem": getattr(exc, "problem", exc)}
            ]
        ) from exc
    except RecursionError:
        raise _too_deep() from None
    try:
        return build_questionnaire(data)
    except RecursionError:
        raise _too_deep() from None


def build_questionnaire(data: Any) -> Questionnaire:
    if not isinstance(data, dict):
        raise QuestionnaireError([_("Filen må inneholde et spørreskjema (en YAML-ordbok).")])
    problems = Problems()
    messages = _messages()
    messages[("nokkel", "string_pattern_mismatch")] = _(
        "nøkkelen '%(value)s' kan bare ha små bokstaver a–z, tall, - og _"
    )
    checked = check(_QuestionnaireIn, data, problems, "", messages=messages)
    assert checked is not None  # data is a mapping
    head = checked[0]
    sections: list[Section] = []
    seen: dict[str, Question] = {}
    section_keys: set[str] = set()
    for index, raw in enumerate(head.seksjoner, start=1):
        with problems.within(section=index):
            section = _build_section(problems, index, raw, seen)
            if section is None:
                continue
            if section.key and section.key in section_keys:
                problems.add(
                    _path(_("seksjon %(key)s") % {"key": section.key}),
                    _("seksjonsnøkkelen er brukt før"),
                    field="nokkel",
                )
        section_keys.add(section.key)
        sections.append(section)
    if problems:
        raise QuestionnaireError(problems.items, problems.entries)
    return Questionnaire(
        key=head.nokkel,
        title=head.tittel.strip(),
        description=(head.beskrivelse or "").strip(),
        audience=(head.malgruppe or "").strip(),
        minutes=head.estimert_tid_minutter,
        sections=tuple(sections),
    )


def _named(kind: str, raw: Any, index: int) -> str:
    """«seksjon organisering», or «seksjon nr. 2» when the key is missing."""
    key = raw.get("nokkel") if isinstance(raw, dict) else None
    if isinstance(key, str) and key:
        return (_("seksjon %(key)s") if kind == "seksjon" else _("spørsmål %(key)s")) % {"key": key}
    return (_("seksjon nr. %(n)s") if kind == "seksjon" else _("spørsmål nr. %(n)s")) % {"n": index}


def _build_section(
    problems: Problems, index: int, raw: Any, seen: dict[str, Question]
) -> Section | None:
    path = _named("seksjon", raw, index)
    checked = check(_SectionIn, raw, problems, path, messages=_messages())
    if checked is None:
        return None
    fields, _failed = checked
    condition = _condition(problems, raw, path, seen)
    questions: list[Question] = []
    for q_index, raw_q in enumerate(fields.sporsmal, start=1):
        with problems.within(question=q_index):
            question = _build_question(problems, path, fields.nokkel, q_index, raw_q, seen)
        if question is not None:
            questions.append(question)
            seen[question.key] = question
    return Section(
        key=fields.nokkel,
        title=fields.tittel.strip(),
        theme=fields.tema if fields.tema in THEMES else "bakgrunn",
        intro=(fields.introduksjon or "").strip(),
        questions=tuple(questions),
        condition=condition,
    )


def _build_question(
    problems: Problems,
    section_path: str,
    section_key: str,
    index: int,
    raw: Any,
    seen: dict[str, Question],
) -> Question | None:
    path = _path(section_path, _named("spørsmål", raw, index))
    checked = check(_QuestionIn, raw, problems, path, messages=_messages())
    if checked is None:
        return None
    fields, failed = checked
    key = fields.nokkel
    if key and key in seen:
        problems.add(path, _("nøkkelen '%(key)s' er brukt før") % {"key": key}, field="nokkel")
    # An unknown type is named as written in what follows from it (no options, no limits).
    qtype = raw.get("type")
    options = _build_options(problems, path, qtype, fields, "alternativer" in failed)
    low, high = _build_range(problems, path, qtype, fields)
    condition = _condition(problems, raw, path, seen)
    return Question(
        key=key,
        text=fields.tekst.strip(),
        type=qtype if qtype in TYPES else "kort_tekst",
        scope=fields.omfang if fields.omfang in SCOPES else "person",
        section=section_key,
        help=(fields.hjelpetekst or "").strip(),
        required=fields.obligatorisk,
        options=options,
        unit=(fields.enhet or "").strip(),
        min=low,
        max=high,
        condition=condition,
    )


def _condition(
    problems: Problems, raw: dict, path: str, seen: dict[str, Question]
) -> Condition | None:
    if "vis_hvis" not in raw:
        return None
    with problems.within(field="vis_hvis"):
        return read_condition(
            raw["vis_hvis"], _path(path, "vis_hvis"), problems, _leaf_checker(problems, seen)
        )


def _build_options(
    problems: Problems, path: str, qtype: Any, fields: _QuestionIn, reported: bool
) -> tuple[Option, ...]:
    given, vet_ikke = fields.alternativer, fields.vet_ikke
    if qtype in ("skala4", "ja_nei"):
        if given is not None:
            problems.add(
                path,
                _("type %(type)s har faste alternativer; fjern 'alternativer'") % {"type": qtype},
                field="alternativer",
            )
        base = SCALE4 if qtype == "skala4" else YES_NO
        pairs = base + ((VET_IKKE_OPTION,) if vet_ikke else ())
        return tuple(Option(code, text) for code, text in pairs)
    if qtype not in ("enkeltvalg", "flervalg"):
        if given is not None:
            problems.add(
                path,
                _("type %(type)s kan ikke ha 'alternativer'") % {"type": qtype},
                field="alternativer",
            )
        if vet_ikke:
            problems.add(path, _("'vet_ikke' gjelder bare valgspørsmål"), field="vet_ikke")
        return ()
    if given is None or len(given) < 2:
        if not reported:
            problems.add(path, _("mangler 'alternativer' (minst to)"), field="alternativer")
        return ()
    options: list[Option] = []
    codes: set[str] = set()
    for index, item in enumerate(given, start=1):
        with problems.within(option=index):
            option = _build_option(problems, path, index, item, qtype, codes)
        if option is not None:
            options.append(option)
    if vet_ikke:
        if VET_IKKE in codes:
            problems.add(
                path,
                _("'vet_ikke: true' og et eget alternativ 'vet_ikke' kan ikke brukes sammen"),
                field="vet_ikke",
            )
        else:
            options.append(Option(*VET_IKKE_OPTION, exclusive=qtype == "flervalg"))
    return tuple(options)


def _build_option(
    problems: Problems, path: str, index: int, item: Any, qtype: Any, codes: set[str]
) -> Option | None:
    opt_path = _path(path, _("alternativ nr. %(n)s") % {"n": index})
    checked = check(
        _OptionIn,
        item,
        problems,
        opt_path,
        messages=_messages(),
        not_a_mapping=_("må ha 'kode' og 'tekst'"),
    )
    if checked is None or "kode" in checked[1]:
        return None
    option = checked[0]
    code = option.kode
    if not CODE_RE.match(code):
        problems.add(
            opt_path,
            _("ugyldig kode '%(code)s' (små bokstaver, tall og _)") % {"code": code},
            field="kode",
        )
    if code in codes:
        problems.add(opt_path, _("koden '%(code)s' er brukt før") % {"code": code}, field="kode")
    codes.add(code)
    if option.eksklusiv and qtype != "flervalg":
        problems.add(opt_path, _("'eksklusiv' gjelder bare flervalg"), field="eksklusiv")
    return Option(code, option.tekst.strip(), option.eksklusiv)


def _build_range(
    problems: Problems, path: str, qtype: Any, fields: _QuestionIn
) -> tuple[float | None, float | None]:
    low, high = fields.min, fields.maks
    if qtype not in NUMBER_TYPES:
        if low is not None or high is not None or fields.enhet:
            given = next(n for n in ("min", "maks", "enhet") if getattr(fields, n) is not None)
            problems.add(path, _("'min', 'maks' og 'enhet' gjelder bare talltyper"), field=given)
        return None, None
    if qtype == "prosent":
        low = 0 if low is None else low
        high = 100 if high is None else high
    for name, value in (("min", low), ("maks", high)):
        if qtype in ("heltall", "prosent") and value is not None and value != int(value):
            problems.add(
                path,
                _("'%(name)s' må være et heltall for type %(type)s")
                % {"name": name, "type": qtype},
                field=name,
            )
    if low is not None and high is not None and low > high:
        problems.add(path, _("'min' er større enn 'maks'"), field="min")
    return low, high


def _leaf_checker(
    problems: Problems, seen: dict[str, Question]
) -> Callable[[Condition, str], Condition | None]:
    """Checks of one `vis_hvis` leaf against the questions before it; codes become strings."""

    def check_leaf(leaf: Condition, path: str) -> Condition | None:
        target, operator, value = leaf.question, leaf.operator, leaf.value
        if target not in seen:
            problems.add(
                path,
                _("viser til spørsmålet '%(key)s', som ikke finnes tidligere i skjemaet")
                % {"key": target},
            )
            return None
        question = seen[target]
        if operator in ("storre_enn", "mindre_enn"):
            if question.type not in NUMBER_TYPES:
                problems.add(path, _("'%(op)s' kan bare brukes mot talltyper") % {"op": operator})
            return leaf
        if operator == "er_besvart" or not question.is_choice:
            return leaf
        codes = {o.code for o in question.options}
        for code in value if isinstance(value, list) else [value]:
            if isinstance(code, bool):
                problems.add(
                    path, _("skriv koden i anførselstegn (YAML leser ja/nei som sann/usann)")
                )
            elif str(code) not in codes:
                problems.add(
                    path,
                    _("'%(code)s' er ikke et alternativ i '%(key)s'")
                    % {"code": code, "key": target},
                )
        if operator == "inneholder" and not question.is_multiple:
            problems.add(path, _("'inneholder' gjelder flervalg; bruk 'er'"))
        # Codes are strings (`kode: 1` is stored as "1"), so compare with strings too.
        value = [str(c) for c in value] if isinstance(value, list) else str(value)
        if question.is_multiple and operator in ("er", "inneholder") and isinstance(value, list):
            # One form for «one of these ticked», however it was written (text or mapping).
            operator, value = "inneholder", value[0] if len(value) == 1 else value
        return Condition(question=target, operator=operator, value=value)

    return check_leaf
