"""The questionnaire format: immutable dataclasses and a validating loader.

Pure Python (no Django models, no database): a questionnaire is data read from
YAML, checked here, and only then stored. Every problem is reported with its
path in the file, in Norwegian, because the person fixing the file is usually
the project leader. See docs/sporreskjema-format.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext as _

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

CONDITION_OPERATORS = ("er", "ikke_er", "inneholder", "storre_enn", "mindre_enn", "er_besvart")


class QuestionnaireError(Exception):
    """Raised with every problem found in a questionnaire file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Option:
    code: str
    text: str
    exclusive: bool = False  # e.g. "Ingen": cannot be ticked together with others


@dataclass(frozen=True)
class Condition:
    """Show a question (or section) only when another answer matches.

    Either a leaf (question + operator + value) or a combination (all/any).
    """

    question: str | None = None
    operator: str | None = None
    value: Any = None
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()

    def questions(self) -> set[str]:
        keys = {self.question} if self.question else set()
        for sub in self.all_of + self.any_of:
            keys |= sub.questions()
        return keys

    def evaluate(self, answers: dict[str, Any]) -> bool:
        if self.all_of:
            return all(c.evaluate(answers) for c in self.all_of)
        if self.any_of:
            return any(c.evaluate(answers) for c in self.any_of)
        answer = answers.get(self.question)  # type: ignore[arg-type]
        op, expected = self.operator, self.value
        if op == "er_besvart":
            return _is_answered(answer) == bool(expected)
        if not _is_answered(answer):
            return False
        if op == "er":
            return answer in expected if isinstance(expected, list) else answer == expected
        if op == "ikke_er":
            return answer not in expected if isinstance(expected, list) else answer != expected
        if op == "inneholder":
            values = answer if isinstance(answer, list) else [answer]
            wanted = expected if isinstance(expected, list) else [expected]
            return any(v in values for v in wanted)
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            if op == "storre_enn":
                return answer > expected
            if op == "mindre_enn":
                return answer < expected
        return False


def _is_answered(value: Any) -> bool:
    return value not in (None, "", [])


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


# --------------------------------------------------------------------------- loading


class _Checker:
    """Collects problems with their path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)


def _path(*parts: str) -> str:
    return " → ".join(p for p in parts if p)


def parse_questionnaire(text: str) -> Questionnaire:
    """Parse and validate YAML text; raise QuestionnaireError with every problem."""
    try:
        data = yaml.safe_load(text)
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
        raise QuestionnaireError(
            [_("Filen er nestet for dypt til å være et spørreskjema.")]
        ) from None
    try:
        return build_questionnaire(data)
    except RecursionError:
        raise QuestionnaireError(
            [_("Filen er nestet for dypt til å være et spørreskjema.")]
        ) from None


def build_questionnaire(data: Any) -> Questionnaire:
    check = _Checker()
    if not isinstance(data, dict):
        raise QuestionnaireError([_("Filen må inneholde et spørreskjema (en YAML-ordbok).")])
    _unknown_fields(
        check,
        "",
        data,
        {"nokkel", "tittel", "beskrivelse", "malgruppe", "estimert_tid_minutter", "seksjoner"},
    )
    key = _required_str(check, "", data, "nokkel")
    if key and not KEY_RE.match(key.replace("-", "_")):
        check.add(
            "", _("nøkkelen '%(key)s' kan bare ha små bokstaver a–z, tall, - og _") % {"key": key}
        )
    title = _required_str(check, "", data, "tittel")
    minutes = data.get("estimert_tid_minutter", 30)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        check.add("", _("estimert_tid_minutter må være et heltall mellom 1 og 240"))
        minutes = 30
    raw_sections = data.get("seksjoner")
    sections: list[Section] = []
    seen_keys: dict[str, Question] = {}
    if not isinstance(raw_sections, list) or not raw_sections:
        check.add("", _("mangler 'seksjoner' (en liste med minst én seksjon)"))
    else:
        section_keys: set[str] = set()
        for index, raw in enumerate(raw_sections, start=1):
            section = _build_section(check, index, raw, seen_keys)
            if section is None:
                continue
            if section.key in section_keys:
                check.add(
                    _path(_("seksjon %(key)s") % {"key": section.key}),
                    _("seksjonsnøkkelen er brukt før"),
                )
            section_keys.add(section.key)
            sections.append(section)
    if check.problems:
        raise QuestionnaireError(check.problems)
    return Questionnaire(
        key=key,
        title=title,
        description=str(data.get("beskrivelse") or "").strip(),
        audience=str(data.get("malgruppe") or "").strip(),
        minutes=minutes,
        sections=tuple(sections),
    )


def _unknown_fields(check: _Checker, path: str, raw: dict, allowed: set[str]) -> None:
    for name in raw:
        if name not in allowed:
            check.add(path, _("ukjent felt '%(name)s'") % {"name": name})


def _required_str(check: _Checker, path: str, raw: dict, name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        check.add(path, _("mangler '%(name)s'") % {"name": name})
        return ""
    return value.strip()


def _build_section(
    check: _Checker, index: int, raw: Any, seen: dict[str, Question]
) -> Section | None:
    if not isinstance(raw, dict):
        check.add(_("seksjon nr. %(n)s") % {"n": index}, _("må være en ordbok"))
        return None
    key = raw.get("nokkel")
    path = (
        _("seksjon %(key)s") % {"key": key}
        if isinstance(key, str) and key
        else _("seksjon nr. %(n)s") % {"n": index}
    )
    _unknown_fields(
        check, path, raw, {"nokkel", "tittel", "tema", "introduksjon", "sporsmal", "vis_hvis"}
    )
    key = _required_str(check, path, raw, "nokkel")
    if key and not KEY_RE.match(key):
        check.add(path, _("ugyldig nøkkel '%(key)s' (små bokstaver, tall, _ og .)") % {"key": key})
    title = _required_str(check, path, raw, "tittel")
    theme = raw.get("tema")
    if theme not in THEMES:
        check.add(
            path,
            _("ukjent tema '%(theme)s' (gyldige: %(valid)s)")
            % {"theme": theme, "valid": ", ".join(THEMES)},
        )
    condition = None
    if "vis_hvis" in raw:
        condition = _build_condition(check, _path(path, "vis_hvis"), raw["vis_hvis"], seen)
    raw_questions = raw.get("sporsmal")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        check.add(path, _("mangler 'sporsmal' (en liste med minst ett spørsmål)"))
    else:
        for q_index, raw_q in enumerate(raw_questions, start=1):
            question = _build_question(check, path, key, q_index, raw_q, seen)
            if question is not None:
                questions.append(question)
                seen[question.key] = question
    return Section(
        key=key,
        title=title,
        theme=theme if theme in THEMES else "bakgrunn",
        intro=str(raw.get("introduksjon") or "").strip(),
        questions=tuple(questions),
        condition=condition,
    )


def _build_question(
    check: _Checker,
    section_path: str,
    section_key: str,
    index: int,
    raw: Any,
    seen: dict[str, Question],
) -> Question | None:
    if not isinstance(raw, dict):
        check.add(
            _path(section_path, _("spørsmål nr. %(n)s") % {"n": index}), _("må være en ordbok")
        )
        return None
    key = raw.get("nokkel")
    path = _path(
        section_path,
        _("spørsmål %(key)s") % {"key": key}
        if isinstance(key, str) and key
        else _("spørsmål nr. %(n)s") % {"n": index},
    )
    _unknown_fields(
        check,
        path,
        raw,
        {
            "nokkel",
            "tekst",
            "hjelpetekst",
            "type",
            "obligatorisk",
            "omfang",
            "alternativer",
            "vet_ikke",
            "enhet",
            "min",
            "maks",
            "vis_hvis",
        },
    )
    key = _required_str(check, path, raw, "nokkel")
    if key and not KEY_RE.match(key):
        check.add(path, _("ugyldig nøkkel '%(key)s' (små bokstaver, tall, _ og .)") % {"key": key})
    if key in seen:
        check.add(path, _("nøkkelen '%(key)s' er brukt før") % {"key": key})
    text = _required_str(check, path, raw, "tekst")
    qtype = raw.get("type")
    if qtype not in TYPES:
        check.add(
            path,
            _("ukjent type '%(type)s' (gyldige: %(valid)s)")
            % {"type": qtype, "valid": ", ".join(TYPES)},
        )
    scope = raw.get("omfang", "person")
    if scope not in SCOPES:
        check.add(
            path, _("ukjent omfang '%(scope)s' (gyldige: organisasjon, person)") % {"scope": scope}
        )
    required = raw.get("obligatorisk", False)
    if not isinstance(required, bool):
        check.add(path, _("'obligatorisk' må være true eller false"))
        required = False
    vet_ikke = raw.get("vet_ikke", False)
    if not isinstance(vet_ikke, bool):
        check.add(path, _("'vet_ikke' må være true eller false"))
        vet_ikke = False
    options = _build_options(check, path, qtype, raw, vet_ikke)
    low, high = _build_range(check, path, qtype, raw)
    condition = None
    if "vis_hvis" in raw:
        condition = _build_condition(check, _path(path, "vis_hvis"), raw["vis_hvis"], seen)
    return Question(
        key=key,
        text=text,
        type=qtype if qtype in TYPES else "kort_tekst",
        scope=scope if scope in SCOPES else "person",
        section=section_key,
        help=str(raw.get("hjelpetekst") or "").strip(),
        required=required,
        options=options,
        unit=str(raw.get("enhet") or "").strip(),
        min=low,
        max=high,
        condition=condition,
    )


def _build_options(
    check: _Checker, path: str, qtype: Any, raw: dict, vet_ikke: bool
) -> tuple[Option, ...]:
    given = raw.get("alternativer")
    if qtype in ("skala4", "ja_nei"):
        if given is not None:
            check.add(
                path,
                _("type %(type)s har faste alternativer; fjern 'alternativer'") % {"type": qtype},
            )
        base = SCALE4 if qtype == "skala4" else YES_NO
        pairs = base + ((VET_IKKE_OPTION,) if vet_ikke else ())
        return tuple(Option(code, text) for code, text in pairs)
    if qtype not in ("enkeltvalg", "flervalg"):
        if given is not None:
            check.add(path, _("type %(type)s kan ikke ha 'alternativer'") % {"type": qtype})
        if vet_ikke:
            check.add(path, _("'vet_ikke' gjelder bare valgspørsmål"))
        return ()
    if not isinstance(given, list) or len(given) < 2:
        check.add(path, _("mangler 'alternativer' (minst to)"))
        return ()
    options: list[Option] = []
    codes: set[str] = set()
    for index, item in enumerate(given, start=1):
        opt_path = _path(path, _("alternativ nr. %(n)s") % {"n": index})
        if not isinstance(item, dict):
            check.add(opt_path, _("må ha 'kode' og 'tekst'"))
            continue
        _unknown_fields(check, opt_path, item, {"kode", "tekst", "eksklusiv"})
        code = item.get("kode")
        if isinstance(code, bool) or code is None:
            # YAML reads ja/nei-like words such as `no` or `yes` as booleans.
            check.add(opt_path, _("mangler 'kode' (skriv koden i anførselstegn om den er ja/nei)"))
            continue
        code = str(code)
        if not CODE_RE.match(code):
            check.add(
                opt_path, _("ugyldig kode '%(code)s' (små bokstaver, tall og _)") % {"code": code}
            )
        if code in codes:
            check.add(opt_path, _("koden '%(code)s' er brukt før") % {"code": code})
        codes.add(code)
        text = _required_str(check, opt_path, item, "tekst")
        exclusive = bool(item.get("eksklusiv", False))
        if exclusive and qtype != "flervalg":
            check.add(opt_path, _("'eksklusiv' gjelder bare flervalg"))
        options.append(Option(code, text, exclusive))
    if vet_ikke:
        if VET_IKKE in codes:
            check.add(
                path, _("'vet_ikke: true' og et eget alternativ 'vet_ikke' kan ikke brukes sammen")
            )
        else:
            options.append(Option(*VET_IKKE_OPTION, exclusive=qtype == "flervalg"))
    return tuple(options)


def _build_range(
    check: _Checker, path: str, qtype: Any, raw: dict
) -> tuple[float | None, float | None]:
    low, high = raw.get("min"), raw.get("maks")
    if qtype not in NUMBER_TYPES:
        if low is not None or high is not None or raw.get("enhet"):
            check.add(path, _("'min', 'maks' og 'enhet' gjelder bare talltyper"))
        return None, None
    if qtype == "prosent":
        low = 0 if low is None else low
        high = 100 if high is None else high
    for name, value in (("min", low), ("maks", high)):
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            check.add(path, _("'%(name)s' må være et tall") % {"name": name})
            return None, None
        if qtype in ("heltall", "prosent") and value is not None and value != int(value):
            check.add(
                path,
                _("'%(name)s' må være et heltall for type %(type)s")
                % {"name": name, "type": qtype},
            )
    if low is not None and high is not None and low > high:
        check.add(path, _("'min' er større enn 'maks'"))
    return low, high


def _build_condition(
    check: _Checker, path: str, raw: Any, seen: dict[str, Question]
) -> Condition | None:
    if not isinstance(raw, dict):
        check.add(path, _("må være en ordbok, f.eks. {sporsmal: nokkel, er: ja}"))
        return None
    for combinator, attr in (("alle", "all_of"), ("en_av", "any_of")):
        if combinator in raw:
            _unknown_fields(check, path, raw, {combinator})
            parts = raw[combinator]
            if not isinstance(parts, list) or not parts:
                check.add(path, _("'%(c)s' må være en liste med betingelser") % {"c": combinator})
                return None
            built = [
                _build_condition(check, _path(path, f"{combinator}[{i}]"), part, seen)
                for i, part in enumerate(parts, start=1)
            ]
            return Condition(**{attr: tuple(c for c in built if c is not None)})
    _unknown_fields(check, path, raw, {"sporsmal", *CONDITION_OPERATORS})
    target = raw.get("sporsmal")
    operators = [op for op in CONDITION_OPERATORS if op in raw]
    if len(operators) != 1:
        check.add(path, _("må ha nøyaktig én av %(ops)s") % {"ops": ", ".join(CONDITION_OPERATORS)})
        return None
    operator = operators[0]
    value = raw[operator]
    if target not in seen:
        check.add(
            path,
            _("viser til spørsmålet '%(key)s', som ikke finnes tidligere i skjemaet")
            % {"key": target},
        )
        return None
    question = seen[target]
    if operator in ("storre_enn", "mindre_enn"):
        if question.type not in NUMBER_TYPES:
            check.add(path, _("'%(op)s' kan bare brukes mot talltyper") % {"op": operator})
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            check.add(path, _("'%(op)s' må ha et tall") % {"op": operator})
    elif operator == "er_besvart":
        if not isinstance(value, bool):
            check.add(path, _("'er_besvart' må være true eller false"))
    elif question.is_choice:
        codes = {o.code for o in question.options}
        for code in value if isinstance(value, list) else [value]:
            if isinstance(code, bool):
                check.add(path, _("skriv koden i anførselstegn (YAML leser ja/nei som sann/usann)"))
            elif str(code) not in codes:
                check.add(
                    path,
                    _("'%(code)s' er ikke et alternativ i '%(key)s'")
                    % {"code": code, "key": target},
                )
        if operator == "inneholder" and not question.is_multiple:
            check.add(path, _("'inneholder' gjelder flervalg; bruk 'er'"))
        # Codes are strings (`kode: 1` is stored as "1"), so compare with strings too.
        value = [str(c) for c in value] if isinstance(value, list) else str(value)
    return Condition(question=target, operator=operator, value=value)
