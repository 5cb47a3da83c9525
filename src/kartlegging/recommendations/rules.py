"""Load and validate the rules file (docs/regler-format.md) into plain data.

Structure and types are pydantic models (questionnaires/validation.py, as for
questionnaires); the checks between fields (names a condition reads, sources a
rule cites, duplicate ids) are written out below. Every problem is collected
with its place in the file, e.g. `regler[4] (ORG-04).betingelse: ukjent navn
«team»`, so one run lists them all.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from pydantic import Field, StringConstraints

from kartlegging.questionnaires.conditions import ConditionError, Expression, parse_condition
from kartlegging.questionnaires.schema import THEMES
from kartlegging.questionnaires.validation import (
    Model,
    Number,
    Problems,
    Text,
    check,
    load_yaml,
    one_of,
)

DEFAULT_RULES = Path(__file__).resolve().parents[3] / "rules" / "nasjonale-anbefalinger.yaml"
# Names that are not question keys: computed from answers and the municipality register.
DERIVED = {"innbyggere", "nedslagsfelt"}
# How well a rule's sources were checked: for the project leader's «Kunnskapsgrunnlag» page
# only, never for readers of pages, reports or exports (DESIGN.md, Invariants).
VERIFICATION = {
    "verifisert": N_("Verifisert"),
    "delvis": N_("Delvis verifisert"),
    "kun_seed": N_("Bare sett i tidligere rapporter"),
    "forslag": N_("Forslag, ikke verifisert"),
}
SEVERITY = {
    "lovkrav": N_("Lovkrav"),
    "anbefales": N_("Anbefales"),
    "bor_vurderes": N_("Bør vurderes"),
}
# Whom a rule is for: Organisation.Kind values (organisations/models.py). A rule written for
# municipalities reads the municipal questionnaire; the hospital answers another one.
KINDS = {"kommune": N_("Kommune"), "helseforetak": N_("Helseforetak")}
DEFAULT_KINDS = ("kommune",)
# Shown wherever a local proposal is shown (GUIDELINES §5: no source gives its threshold).
LOCAL_LABEL = N_("Lokalt forslag – ikke nasjonal norm")
_ID = re.compile(r"^[A-ZÆØÅ]{2,4}-\d{2}$")


class RulesError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Citation:
    source: Source
    part: str = ""

    def __str__(self) -> str:
        return f"{self.source.title}, {self.part}" if self.part else self.source.title

    @property
    def reader_text(self) -> str:
        """Full title, part and link: what a reader of a page, report or export sees."""
        return f"{self} ({self.source.url})" if self.source.url else str(self)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: float
    text: str


@dataclass(frozen=True)
class Rule:
    id: str
    theme: str
    title: str
    reads: tuple[str, ...]
    condition: Expression
    finding: str
    goal: str
    recommendation: str
    citations: tuple[Citation, ...]
    verification: str
    severity: str
    applies_when: Expression | None = None
    verification_note: str = ""
    parameters: tuple[Parameter, ...] = ()
    applies_to: tuple[str, ...] = DEFAULT_KINDS  # organisation kinds (KINDS)
    local: bool = False  # a local proposal, not a national recommendation: off by default

    def applies_to_kind(self, kind: str) -> bool:
        return kind in self.applies_to

    @property
    def applies_to_label(self) -> str:
        return ", ".join(_(KINDS[kind]) for kind in self.applies_to)

    @property
    def basis_label(self) -> str:
        """National recommendation or local proposal, as readers see it."""
        return _(LOCAL_LABEL) if self.local else _("Nasjonal anbefaling")

    @property
    def questions(self) -> tuple[str, ...]:
        """The question keys the rule reads (derived values come from other answers)."""
        return tuple(name for name in self.reads if name not in DERIVED)

    @property
    def verification_label(self) -> str:
        return _(VERIFICATION[self.verification])

    @property
    def severity_label(self) -> str:
        return _(SEVERITY[self.severity])

    @property
    def sources_text(self) -> str:
        """The sources for readers: full title, part and link; never the verification notes."""
        return "; ".join(c.reader_text for c in self.citations)


@dataclass(frozen=True)
class RuleSet:
    key: str
    title: str
    rules: tuple[Rule, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


class _SourceIn(Model):
    tittel: Text
    url: str | None = None


class _CitationIn(Model):
    kilde: str
    del_: str | int | float | None = Field(None, alias="del")  # `del: 5` is chapter 5


class _ParameterIn(Model):
    standard: Number
    tekst: str | None = None


class _RuleIn(Model):
    id: Annotated[str, StringConstraints(pattern=_ID.pattern)]
    tema: Annotated[str, one_of(t for t in THEMES if t != "bakgrunn")]
    gjelder_for: Annotated[list[Annotated[str, one_of(KINDS)]], Field(min_length=1)] | None = None
    lokalt_forslag: bool = False
    tittel: Text
    leser: list[str] = Field(min_length=1)
    gjelder_nar: str | None = None
    betingelse: str
    funn: Text
    mal: Text
    anbefaling: Text
    kilder: list[Any] = Field(min_length=1)
    verifisering: Annotated[str, one_of(VERIFICATION)]
    verifisering_merknad: str | None = None
    alvorlighet: Annotated[str, one_of(SEVERITY)]
    parametre: dict[str, Any] | None = None


class _RulesFileIn(Model):
    nokkel: Text
    tittel: Text
    kilder: dict[str, Any] = Field(min_length=1)
    regler: list[Any] = Field(min_length=1)


def _file_messages() -> dict[tuple[str, str], str]:
    """Messages that say more than the general ones (see questionnaires/validation.py)."""
    sources = _("en ordbok fra kilde-id til tittel og url")
    return {
        ("kilder", "missing"): _("mangler (%(what)s)") % {"what": sources},
        ("kilder", "too_short"): _("mangler (%(what)s)") % {"what": sources},
        ("kilder", "*"): _("må være %(what)s") % {"what": sources},
        ("regler", "*"): _("mangler (en liste med minst én regel)"),
    }


def _rule_messages() -> dict[tuple[str, str], str]:
    return {
        ("id", "*"): _("må se ut som ORG-01"),
        ("tema", "one_of"): _(
            "«%(value)s» er ikke et av de seks innsatsområdene eller organisering"
        ),
        ("leser", "*"): _("må være en liste med spørsmålsnøkler"),
        ("gjelder_for", "list_type"): _("må være en liste med organisasjonstyper (%(kinds)s)")
        % {"kinds": ", ".join(KINDS)},
        ("gjelder_for", "too_short"): _("må nevne minst én organisasjonstype (%(kinds)s)")
        % {"kinds": ", ".join(KINDS)},
        ("kilder", "*"): _("mangler (minst én kilde)"),
        ("parametre", "*"): _("må være en ordbok fra navn til {standard, tekst}"),
    }


def load_rules(path: Path | str = DEFAULT_RULES) -> RuleSet:
    """The rules in a file, parsed once per version of the file (pages load them per request)."""
    path = Path(path)
    try:
        modified = path.stat().st_mtime_ns
    except OSError as exc:
        raise RulesError(
            [_("Kan ikke lese regelfilen %(path)s: %(why)s") % {"path": path, "why": exc.strerror}]
        ) from exc
    return _parsed(path, modified)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, modified: int) -> RuleSet:
    return parse_rules(path.read_text(encoding="utf-8"))


def parse_rules(text: str) -> RuleSet:
    too_deep = _("Regelfilen er nestet for dypt til å være en regelfil.")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (linje %(line)s)") % {"line": mark.line + 1} if mark else ""
        raise RulesError(
            [
                _("Regelfilen er ikke gyldig YAML%(where)s: %(problem)s")
                % {"where": where, "problem": getattr(exc, "problem", None) or exc}
            ]
        ) from exc
    except RecursionError:
        raise RulesError([too_deep]) from None
    if not isinstance(data, dict):
        raise RulesError([_("Regelfilen må være en YAML-ordbok med «kilder» og «regler».")])
    problems = Problems()
    checked = check(_RulesFileIn, data, problems, "", field_in_path=True, messages=_file_messages())
    assert checked is not None  # data is a mapping
    head = checked[0]
    sources = _sources(head.kilder, problems)
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(head.regler):
        rule = _rule(index, raw, sources, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.add(f"regler[{index}] ({rule.id}).id", _("brukt før"))
        seen.add(rule.id)
        rules.append(rule)
    if problems:
        raise RulesError(problems.items)
    return RuleSet(head.nokkel, head.tittel, tuple(rules), sources)


def _sources(raw: dict[str, Any], problems: Problems) -> dict[str, Source]:
    sources = {}
    for source_id, entry in raw.items():
        checked = check(_SourceIn, entry, problems, f"kilder.{source_id}", field_in_path=True)
        if checked is not None and not checked[1]:
            source = checked[0]
            sources[source_id] = Source(source_id, source.tittel, source.url or "")
    return sources


def _rule(index: int, raw: Any, sources: dict[str, Source], problems: Problems) -> Rule | None:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"regler[{index}] ({rule_id})" if rule_id else f"regler[{index}]"
    start = len(problems)
    checked = check(_RuleIn, raw, problems, where, field_in_path=True, messages=_rule_messages())
    if checked is None:
        return None
    fields, failed = checked

    def problem(name: str, message: str) -> None:
        problems.add(f"{where}.{name}", message)

    parameters = _parameters(fields.parametre or {}, where, problems)
    known = set(fields.leser) | {p.name for p in parameters}

    def condition(name: str) -> Expression | None:
        text = getattr(fields, name)
        if text is None or name in failed:
            return None
        try:
            parsed = parse_condition(text)
        except ConditionError as exc:
            problem(name, str(exc))
            return None
        for unknown in sorted(parsed.names - known):
            problem(
                name,
                _("ukjent navn «%(name)s» (står ikke i «leser» eller «parametre»)")
                % {"name": unknown},
            )
        return parsed

    applies_when = condition("gjelder_nar")
    deviation = condition("betingelse")
    for name in ("funn", "anbefaling"):
        placeholders = _placeholders(getattr(fields, name))
        if placeholders is None:
            problem(
                name, _("feil i plassholderne: hver { må ha en } etter navnet, som {innbyggere}")
            )
        for placeholder in placeholders or []:
            if placeholder not in known:
                problem(name, _("ukjent plassholder {%(name)s}") % {"name": placeholder})
    citations = _citations(fields.kilder, sources, where, problems)
    if len(problems) > start or deviation is None:
        return None  # deviation is None only after a problem; repeated for the type checker
    return Rule(
        id=fields.id,
        theme=fields.tema,
        title=_text(fields.tittel),
        reads=tuple(fields.leser),
        condition=deviation,
        finding=_text(fields.funn),
        goal=_text(fields.mal),
        recommendation=_text(fields.anbefaling),
        citations=citations,
        verification=fields.verifisering,
        severity=fields.alvorlighet,
        applies_when=applies_when,
        verification_note=_text(fields.verifisering_merknad or ""),
        parameters=parameters,
        applies_to=tuple(dict.fromkeys(fields.gjelder_for or DEFAULT_KINDS)),
        local=fields.lokalt_forslag,
    )


def _text(value: str) -> str:
    """Texts are written over several YAML lines; one space between words."""
    return " ".join(value.split())


def _parameters(raw: dict[str, Any], where: str, problems: Problems) -> tuple[Parameter, ...]:
    parameters = []
    for name, entry in raw.items():
        place = f"{where}.parametre.{name}"
        checked = check(_ParameterIn, entry, problems, place, field_in_path=True)
        if checked is not None and not checked[1]:
            parameter = checked[0]
            parameters.append(Parameter(name, parameter.standard, parameter.tekst or name))
    return tuple(parameters)


def _citations(
    raw: list[Any], sources: dict[str, Source], where: str, problems: Problems
) -> tuple[Citation, ...]:
    citations = []
    for position, entry in enumerate(raw):
        place = f"{where}.kilder[{position}]"
        checked = check(_CitationIn, entry, problems, place, field_in_path=True)
        if checked is None or checked[1]:
            continue
        citation = checked[0]
        if citation.kilde not in sources:
            problems.add(f"{place}.kilde", _("ukjent kilde «%(id)s»") % {"id": citation.kilde})
            continue
        citations.append(
            Citation(sources[citation.kilde], "" if citation.del_ is None else str(citation.del_))
        )
    return tuple(citations)


def _placeholders(text: str) -> list[str] | None:
    """The {names} in a text; None when its braces do not pair up."""
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError:
        return None


def shared_parameters(rules: RuleSet) -> dict[str, tuple[Parameter, list[str]]]:
    """Each threshold name once, with the rules that use it (in file order)."""
    shared: dict[str, tuple[Parameter, list[str]]] = {}
    for rule in rules.rules:
        for parameter in rule.parameters:
            shared.setdefault(parameter.name, (parameter, []))[1].append(rule.id)
    return shared
