"""Load and validate the rules file (docs/regler-format.md) into plain data.

Every problem is collected with its place in the file, e.g.
`regler[4] (ORG-04).betingelse: ukjent navn «team»`, so one run lists them all.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kartlegging.questionnaires.schema import THEMES
from kartlegging.recommendations.conditions import Condition, ConditionError, parse_condition

DEFAULT_RULES = Path(__file__).resolve().parents[3] / "rules" / "nasjonale-anbefalinger.yaml"
# Names that are not question keys: computed from answers and the municipality register.
DERIVED = {"innbyggere", "nedslagsfelt"}
VERIFICATION = {
    "verifisert": "Verifisert",
    "delvis": "Delvis verifisert",
    "kun_seed": "Bare sett i tidligere rapporter",
    "forslag": "Forslag, ikke verifisert",
}
SEVERITY = {"lovkrav": "Lovkrav", "anbefales": "Anbefales", "bor_vurderes": "Bør vurderes"}
RULE_FIELDS = {
    "id",
    "tema",
    "tittel",
    "leser",
    "gjelder_nar",
    "betingelse",
    "funn",
    "mal",
    "anbefaling",
    "kilder",
    "verifisering",
    "verifisering_merknad",
    "alvorlighet",
    "parametre",
}
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
    condition: Condition
    finding: str
    goal: str
    recommendation: str
    citations: tuple[Citation, ...]
    verification: str
    severity: str
    applies_when: Condition | None = None
    verification_note: str = ""
    parameters: tuple[Parameter, ...] = ()

    @property
    def questions(self) -> tuple[str, ...]:
        """The question keys the rule reads (derived values come from other answers)."""
        return tuple(name for name in self.reads if name not in DERIVED)

    @property
    def verification_label(self) -> str:
        return VERIFICATION[self.verification]

    @property
    def severity_label(self) -> str:
        return SEVERITY[self.severity]

    @property
    def sources_text(self) -> str:
        return "; ".join(str(c) for c in self.citations)


@dataclass(frozen=True)
class RuleSet:
    key: str
    title: str
    rules: tuple[Rule, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def load_rules(path: Path | str = DEFAULT_RULES) -> RuleSet:
    """The rules in a file, parsed once per version of the file (pages load them per request)."""
    path = Path(path)
    try:
        modified = path.stat().st_mtime_ns
    except OSError as exc:
        raise RulesError([f"Kan ikke lese regelfilen {path}: {exc.strerror}"]) from exc
    return _parsed(path, modified)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, modified: int) -> RuleSet:
    return parse_rules(path.read_text(encoding="utf-8"))


def parse_rules(text: str) -> RuleSet:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (linje {mark.line + 1})" if mark else ""
        raise RulesError([f"Regelfilen er ikke gyldig YAML{where}: {exc}"]) from exc
    except RecursionError:
        raise RulesError(["Regelfilen er nestet for dypt til å være en regelfil."]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RulesError(["Regelfilen må være en YAML-ordbok med «kilder» og «regler»."])
    sources = _sources(data.get("kilder"), problems)
    rules: list[Rule] = []
    raw_rules = data.get("regler")
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append("regler: mangler (en liste med minst én regel)")
        raw_rules = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _rule(index, raw, sources, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(f"regler[{index}] ({rule.id}).id: brukt før")
        seen.add(rule.id)
        rules.append(rule)
    for name in ("nokkel", "tittel"):
        if not isinstance(data.get(name), str) or not data.get(name):
            problems.append(f"{name}: mangler")
    if problems:
        raise RulesError(problems)
    return RuleSet(data["nokkel"], data["tittel"], tuple(rules), sources)


def _sources(raw: Any, problems: list[str]) -> dict[str, Source]:
    if not isinstance(raw, dict) or not raw:
        problems.append("kilder: mangler (en ordbok fra kilde-id til tittel og url)")
        return {}
    sources = {}
    for source_id, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("tittel"), str):
            problems.append(f"kilder.{source_id}.tittel: mangler")
            continue
        sources[str(source_id)] = Source(str(source_id), entry["tittel"], str(entry.get("url", "")))
    return sources


def _rule(index: int, raw: Any, sources: dict[str, Source], problems: list[str]) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(f"regler[{index}]: må være en ordbok")
        return None
    rule_id = raw.get("id")
    where = f"regler[{index}] ({rule_id})" if rule_id else f"regler[{index}]"
    start = len(problems)

    def problem(name: str, message: str) -> None:
        problems.append(f"{where}.{name}: {message}")

    for name in sorted(set(raw) - RULE_FIELDS):
        problem(name, "ukjent felt")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        problem("id", "må se ut som ORG-01")

    def text(name: str, required: bool = True) -> str:
        value = raw.get(name, "")
        if required and (not isinstance(value, str) or not value.strip()):
            problem(name, "mangler")
            return ""
        if not isinstance(value, str):
            problem(name, "må være tekst")
            return ""
        return " ".join(value.split())

    theme = text("tema")
    if theme and (theme not in THEMES or theme == "bakgrunn"):
        problem("tema", f"«{theme}» er ikke et av de seks innsatsområdene eller organisering")
    reads = raw.get("leser")
    if not isinstance(reads, list) or not reads or not all(isinstance(r, str) for r in reads):
        problem("leser", "må være en liste med spørsmålsnøkler")
        reads = []
    parameters = _parameters(raw.get("parametre"), problem)
    known = set(reads) | {p.name for p in parameters}

    def condition(name: str, required: bool) -> Condition | None:
        if name not in raw and not required:
            return None
        try:
            parsed = parse_condition(raw.get(name))
        except ConditionError as exc:
            problem(name, str(exc))
            return None
        for unknown in sorted(parsed.names - known):
            problem(name, f"ukjent navn «{unknown}» (står ikke i «leser» eller «parametre»)")
        return parsed

    applies_when = condition("gjelder_nar", required=False)
    deviation = condition("betingelse", required=True)
    finding, goal, recommendation = text("funn"), text("mal"), text("anbefaling")
    for name, value in (("funn", finding), ("anbefaling", recommendation)):
        for placeholder in _placeholders(value, lambda message, n=name: problem(n, message)):
            if placeholder not in known:
                problem(name, f"ukjent plassholder {{{placeholder}}}")
    citations = _citations(raw.get("kilder"), sources, problem)
    verification = text("verifisering")
    if verification and verification not in VERIFICATION:
        problem("verifisering", f"må være en av {', '.join(VERIFICATION)}")
    severity = text("alvorlighet")
    if severity and severity not in SEVERITY:
        problem("alvorlighet", f"må være en av {', '.join(SEVERITY)}")
    if len(problems) > start or not isinstance(rule_id, str) or deviation is None:
        return None  # the last two are already reported as problems; repeated for the type checker
    return Rule(
        id=rule_id,
        theme=theme,
        title=text("tittel"),
        reads=tuple(reads),
        condition=deviation,
        finding=finding,
        goal=goal,
        recommendation=recommendation,
        citations=citations,
        verification=verification,
        severity=severity,
        applies_when=applies_when,
        verification_note=text("verifisering_merknad", required=False),
        parameters=parameters,
    )


def _parameters(raw: Any, problem) -> tuple[Parameter, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problem("parametre", "må være en ordbok fra navn til {standard, tekst}")
        return ()
    parameters = []
    for name, entry in raw.items():
        default = entry.get("standard") if isinstance(entry, dict) else None
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            problem(f"parametre.{name}.standard", "må være et tall")
            continue
        parameters.append(Parameter(str(name), default, str(entry.get("tekst", name))))
    return tuple(parameters)


def _citations(raw: Any, sources: dict[str, Source], problem) -> tuple[Citation, ...]:
    if not isinstance(raw, list) or not raw:
        problem("kilder", "mangler (minst én kilde)")
        return ()
    citations = []
    for position, entry in enumerate(raw):
        source_id = entry.get("kilde") if isinstance(entry, dict) else None
        if source_id not in sources:
            problem(f"kilder[{position}].kilde", f"ukjent kilde «{source_id}»")
            continue
        citations.append(Citation(sources[source_id], str(entry.get("del", "") or "")))
    return tuple(citations)


def _placeholders(text: str, problem) -> list[str]:
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError as exc:
        problem(f"feil i plassholder: {exc}")
        return []


def shared_parameters(rules: RuleSet) -> dict[str, tuple[Parameter, list[str]]]:
    """Each threshold name once, with the rules that use it (in file order)."""
    shared: dict[str, tuple[Parameter, list[str]]] = {}
    for rule in rules.rules:
        for parameter in rule.parameters:
            shared.setdefault(parameter.name, (parameter, []))[1].append(rule.id)
    return shared
