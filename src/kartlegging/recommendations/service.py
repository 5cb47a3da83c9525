"""Findings for every organisation of a survey: facts from the answers → rule engine.

Reads the database (survey, organisations, the tidy answer table, the leader's
fact choices, thresholds and decisions); the decisions themselves are made in
the pure `engine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from kartlegging.analysis.facts import Fact, facts_by_questionnaire, same_value_key
from kartlegging.analysis.models import FactChoice
from kartlegging.analysis.table import build_table
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.answers import display_value
from kartlegging.questionnaires.schema import THEMES, VET_IKKE, Questionnaire
from kartlegging.recommendations.engine import (
    DEVIATION,
    DISPUTED,
    DONT_KNOW,
    IN_LINE,
    MISSING,
    NOT_ASSESSED,
    NOT_RELEVANT,
    OK,
    Finding,
    Input,
    evaluate,
    format_number,
)
from kartlegging.recommendations.models import FindingDecision, RuleParameter
from kartlegging.recommendations.regional import Place
from kartlegging.recommendations.rules import (
    DERIVED,
    Rule,
    RuleSet,
    shared_parameters,
)
from kartlegging.recommendations.versions import rules_for
from kartlegging.surveys.models import Survey

# A local proposal (a rule with `lokalt_forslag: true`) is off until the project leader turns it
# on for the survey; the choice is stored as a RuleParameter of that rule under this name, so
# it travels with the survey's thresholds (survey_parameters) and needs no table of its own.
LOCAL_ON = "i_bruk"


@dataclass
class Scorecard:
    organisation: Organisation
    findings: list[Finding] = field(default_factory=list)
    responses: int = 0
    inputs: dict[str, Input] = field(default_factory=dict)
    # Rules no questionnaire of the survey can answer: left out of every card (the same on
    # each), so pages and the report say so in one line instead of one row per organisation.
    left_out: tuple[Rule, ...] = ()

    def by_theme(self) -> list[tuple[str, list[Finding]]]:
        groups = [
            (label, [f for f in self.findings if f.rule.theme == theme])
            for theme, label in THEMES.items()
        ]
        return [(label, findings) for label, findings in groups if findings]

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.findings)

    @property
    def deviations(self) -> int:
        return self.count(DEVIATION)

    @property
    def not_assessed(self) -> int:
        return self.count(NOT_ASSESSED)

    @property
    def in_line(self) -> int:
        return self.count(IN_LINE)

    @property
    def not_relevant(self) -> int:
        return self.count(NOT_RELEVANT)


def survey_parameters(survey: Survey) -> dict[str, dict[str, float]]:
    """The survey's own thresholds: {rule id: {parameter: value}}."""
    out: dict[str, dict[str, float]] = {}
    for p in RuleParameter.objects.filter(survey=survey):
        out.setdefault(p.rule, {})[p.name] = p.value
    return out


def threshold(rules: RuleSet, parameters: dict[str, dict[str, float]], name: str) -> float:
    """A threshold's value in this survey: its own (shared by the rules using it) or the default.

    `parameters` as from survey_parameters. Raises KeyError for a name no rule has.
    """
    parameter, rule_ids = shared_parameters(rules)[name]
    return parameters.get(rule_ids[0], {}).get(name, parameter.default)


def local_enabled(rule: Rule, parameters: dict[str, dict[str, float]]) -> bool:
    """Whether the survey uses this local proposal (`parameters` as from survey_parameters)."""
    return bool(parameters.get(rule.id, {}).get(LOCAL_ON))


def rules_in_use(rules: RuleSet, parameters: dict[str, dict[str, float]]) -> list[Rule]:
    """The national rules, and the local proposals the survey has turned on."""
    return [r for r in rules.rules if not r.local or local_enabled(r, parameters)]


def left_out(cards: list[Scorecard]) -> tuple[Rule, ...]:
    """The rules the survey's questionnaires cannot answer (see Scorecard.left_out)."""
    return cards[0].left_out if cards else ()


def unanswerable(rules: list[Rule], questionnaires: list[tuple[str, set[str]]]) -> tuple[Rule, ...]:
    """Rules whose questions no organisation they are for is asked.

    `questionnaires` holds (organisation kind, question keys of its questionnaire) for every
    organisation of the survey. A rule for kinds the survey has none of is not listed: it
    simply does not apply.
    """
    out = []
    for rule in rules:
        asked = [keys for kind, keys in questionnaires if rule.applies_to_kind(kind)]
        if asked and not any(set(rule.questions) <= keys for keys in asked):
            out.append(rule)
    return tuple(out)


def catchment_threshold(rules: RuleSet, parameters: dict[str, dict[str, float]]) -> float:
    """The population a catchment needs for its own team and centre (ORG-03, ORG-11)."""
    return threshold(rules, parameters, "terskel_innbyggere")


def scorecards(
    survey: Survey,
    rules: RuleSet | None = None,
    *,
    parameters: dict[str, dict[str, float]] | None = None,
    table: pd.DataFrame | None = None,
    only: str | None = None,
    facts: dict[str, list[Fact]] | None = None,
) -> list[Scorecard]:
    """One scorecard per organisation in the survey (also those without answers).

    Each organisation is scored on the rules for its kind (a hospital never on the
    municipalities' rules), local proposals only when the survey has turned them on, and
    no organisation on a rule the survey's questionnaires cannot answer. `only` limits it
    to one organisation number; `facts` are the table's facts_by_questionnaire when the
    caller has them. Thresholds default to the survey's stored ones, then the rule file's.
    """
    rules = rules or rules_for(survey)
    parameters = survey_parameters(survey) if parameters is None else parameters
    if table is None:
        table = build_table(survey, organisation=only)
    choices = FactChoice.choices_for(survey)
    decisions = {(d.organisation, d.rule): d for d in survey.finding_decisions.all()}
    municipalities = _municipality_register()
    everyone = list(survey.organisations.all())
    in_use = rules_in_use(rules, parameters)
    skipped = unanswerable(
        in_use,
        [
            (o.kind, {q.key for q in survey.questionnaire_for(o).definition.questions})
            for o in everyone
        ],
    )
    in_use = [r for r in in_use if r not in skipped]
    # Question texts from every questionnaire of the survey, for a reason that names a
    # question the organisation's own questionnaire lacks.
    versions = survey.questionnaire_versions()
    labels = {q.key: q.text for v in versions for q in v.definition.questions} | {
        "innbyggere": _("Innbyggere"),
        "nedslagsfelt": _("Nedslagsfelt (innbyggere)"),
    }
    organisations = [o for o in everyone if only is None or o.number == only]
    if facts is None:
        facts = facts_by_questionnaire(table, [v.definition for v in versions], choices)
    indexed = {
        key: {(f.organisation, f.question): f for f in found} for key, found in facts.items()
    }
    # Responses per organisation in one pass (one comparison per organisation was quadratic).
    responses = {} if table.empty else table.groupby("organisation")["response"].nunique().to_dict()
    cards = []
    for organisation in organisations:
        version = survey.questionnaire_for(organisation)
        questionnaire = version.definition
        inputs = organisation_inputs(
            organisation, questionnaire, indexed.get(version.key, {}), municipalities
        )
        available = {q.key for q in questionnaire.questions} | DERIVED
        card = Scorecard(organisation, inputs=inputs, left_out=skipped)
        card.responses = responses.get(organisation.number, 0)
        for rule in in_use:
            if not rule.applies_to_kind(organisation.kind):
                continue
            finding = evaluate(
                rule,
                organisation.number,
                organisation.name,
                inputs,
                parameters.get(rule.id, {}),
                available,
                labels,
            )
            if not card.responses:  # nothing answered: the register alone decides nothing
                finding.status = NOT_ASSESSED
                finding.finding = finding.recommendation = ""
                finding.reason = _("Ikke vurdert – ingen innsendte svar fra organisasjonen")
            finding.decision = decisions.get((organisation.number, rule.id))
            card.findings.append(finding)
        cards.append(card)
    return cards


def organisation_inputs(
    organisation: Organisation,
    questionnaire: Questionnaire,
    facts: dict[tuple[str, str], Fact],
    municipalities: dict[str, tuple[str, int | None]],
) -> dict[str, Input]:
    """Every question's value for this organisation, plus innbyggere and nedslagsfelt."""
    inputs: dict[str, Input] = {}
    for question in questionnaire.questions:
        fact = facts.get((organisation.number, question.key))
        if fact is None:
            inputs[question.key] = Input(question.key, question.text)
            continue
        roles = tuple(role or "ukjent rolle" for _response, role, _value in fact.values)
        if fact.disputed:
            distinct: dict[object, str] = {}
            for _response, _role, value in fact.values:
                distinct.setdefault(same_value_key(value), display_value(question, value))
            text = " / ".join(distinct.values())
            inputs[question.key] = Input(question.key, question.text, None, text, roles, DISPUTED)
            continue
        value = fact.value
        if value == VET_IKKE or (isinstance(value, list) and VET_IKKE in value):
            inputs[question.key] = Input(
                question.key, question.text, None, "Vet ikke", roles, DONT_KNOW
            )
            continue
        text = display_value(question, value)
        if fact.chosen_by_leader:
            text += " (valgt av prosjektleder)"
        inputs[question.key] = Input(question.key, question.text, value, text, roles, OK)
    inputs["innbyggere"] = _population(organisation, inputs.get("innbyggere"))
    inputs["nedslagsfelt"] = _catchment(organisation, inputs, municipalities)
    return inputs


def _population(organisation: Organisation, answered: Input | None) -> Input:
    label = "Innbyggere"
    if answered is not None and answered.usable:
        return Input("innbyggere", label, answered.value, format_number(answered.value),
                     answered.respondents, OK)  # fmt: skip
    if organisation.population is not None:
        year = f" (per 1.1.{organisation.population_year})" if organisation.population_year else ""
        return Input(
            "innbyggere",
            label,
            organisation.population,
            f"{format_number(organisation.population)}{year}",
            ("kommuneregisteret",),
            OK,
        )
    return Input("innbyggere", label)


def _catchment(
    organisation: Organisation,
    inputs: dict[str, Input],
    municipalities: dict[str, tuple[str, int | None]],
) -> Input:
    """Own population, or with the partners named in interkommunal_kommuner added."""
    label = "Nedslagsfelt (innbyggere)"
    own = inputs["innbyggere"]
    if not own.usable:
        return Input("nedslagsfelt", label, state=MISSING)
    shared = inputs.get("interkommunal_palliasjon")
    named = inputs.get("interkommunal_kommuner")
    if not (shared and shared.usable and shared.value == "ja" and named and named.usable):
        return Input("nedslagsfelt", label, own.value, own.text, own.respondents, OK)
    partners = partner_municipalities(str(named.value), municipalities, organisation.number)
    total = own.value + sum(population or 0 for _name, population in partners)
    names = ", ".join(name for name, _population in partners)
    text = (
        f"{format_number(total)} (med {names})"
        if partners
        else f"{own.text} (fant ingen kjente kommunenavn i «{named.value}»)"
    )
    return Input("nedslagsfelt", label, total, text, named.respondents, OK)


def partner_municipalities(
    text: str, municipalities: dict[str, tuple[str, int | None]], own: str
) -> list[tuple[str, int | None]]:
    """Municipalities named in free text (whole words, any case), in register order."""
    found = []
    for number, (name, population) in municipalities.items():
        if number != own and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            found.append((name, population))
    return found


def _municipality_register() -> dict[str, tuple[str, int | None]]:
    return {
        o.number: (o.name, o.population)
        for o in Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE).order_by("number")
    }


def places(cards: list[Scorecard]) -> list[Place]:
    """The municipalities of the survey for the regional view (hospitals are not compared)."""
    return [
        Place(c.organisation.number, c.organisation.name, c.organisation.county, c.inputs)
        for c in cards
        if c.organisation.kind == Organisation.Kind.KOMMUNE
    ]


def report_findings(card: Scorecard) -> list[Finding]:
    """The deviations that go into the report: not dismissed, in rule order."""
    return [
        f
        for f in card.findings
        if f.status == DEVIATION
        and not (f.decision and f.decision.action == FindingDecision.Action.DISMISSED)
    ]


def finding_texts(finding: Finding) -> tuple[str, str]:
    """(finding, recommendation) as the report should print them: the leader's words if edited.

    Only a deviation has a finding and a recommendation; any other status gets its own text
    (Finding.status_text) and no recommendation, even when the leader once edited the
    deviation's words and the answers have changed since.
    """
    if finding.status != DEVIATION:
        return finding.status_text, ""
    decision = finding.decision
    if decision and decision.action == FindingDecision.Action.EDITED:
        return (
            decision.finding or finding.finding,
            decision.recommendation or finding.recommendation,
        )
    return finding.finding, finding.recommendation
