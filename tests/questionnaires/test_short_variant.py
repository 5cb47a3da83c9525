"""The short municipal questionnaire (questionnaires/palliasjon-kommune-kort.yaml): 15–20
minutes, every question a rule reads with the same key, type and codes as the full one, and
loaded where the default questionnaires are loaded."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kartlegging.questionnaires.estimate import estimate
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.questionnaires.schema import Question, Questionnaire, parse_questionnaire
from kartlegging.recommendations.engine import evaluate
from kartlegging.recommendations.rules import load_rules
from kartlegging.reports.model import INDICATORS as REPORT_INDICATORS
from kartlegging.surveys.forms import latest_questionnaires

ROOT = Path(__file__).resolve().parents[2]
FULL_PATH = ROOT / "questionnaires" / "palliasjon-kommune.yaml"
SHORT_PATH = ROOT / "questionnaires" / "palliasjon-kommune-kort.yaml"
# Answers the derived values are computed from (recommendations/service.py): `innbyggere`
# from the answer or the register, `nedslagsfelt` from the inter-municipal partners.
DERIVED_FROM = {"innbyggere", "interkommunal_palliasjon", "interkommunal_kommuner"}


def parse(path: Path) -> Questionnaire:
    return parse_questionnaire(path.read_text(encoding="utf-8"))


FULL = parse(FULL_PATH)
SHORT = parse(SHORT_PATH)


def municipal_rules() -> list:
    """Every rule in rules/*.yaml for municipalities (the hospital answers its own form)."""
    return [
        rule
        for path in sorted((ROOT / "rules").glob("*.yaml"))
        for rule in load_rules(path).rules
        if rule.applies_to_kind("kommune")
    ]


def rule_keys() -> set[str]:
    """Every question key any municipal rule reads (derived names left out)."""
    return {key for rule in municipal_rules() for key in rule.questions}


def definition(question: Question) -> tuple:
    """What the rules and the analysis depend on: type, scope, codes, range, condition."""
    return (
        question.type,
        question.scope,
        tuple((o.code, o.exclusive) for o in question.options),
        question.unit,
        question.min,
        question.max,
        question.condition,
    )


def differences(full: Questionnaire, short: Questionnaire, keys: set[str]) -> list[str]:
    found = []
    for key in sorted(keys):
        if not short.has_question(key):
            found.append(f"{key}: mangler i den korte utgaven")
        elif not full.has_question(key):
            found.append(f"{key}: finnes ikke i hele skjemaet")
        elif definition(full.question(key)) != definition(short.question(key)):
            found.append(f"{key}: ulik type, koder, område eller betingelse")
    return found


def test_the_short_variant_has_its_own_key_and_says_it_is_short():
    assert SHORT.key == "palliasjon-kommune-kort" != FULL.key
    assert "kort utgave" in SHORT.title
    assert "korte utgaven" in SHORT.description


def test_it_takes_15_to_20_minutes_by_the_estimate():
    short = estimate(SHORT)
    assert 15 <= short.low <= short.high <= 20
    assert short.high < estimate(FULL).low


def test_every_question_a_rule_reads_is_there_with_the_same_type_and_codes():
    keys = rule_keys()
    assert len(keys) > 50  # the rules were found
    assert differences(FULL, SHORT, keys | DERIVED_FROM) == []


def test_every_question_of_the_short_variant_is_the_full_ones():
    """So answers from both can be read together, e.g. in one county's analysis."""
    keys = {q.key for q in SHORT.questions}
    assert differences(FULL, SHORT, keys) == []
    assert {q.key for q in FULL.questions} > keys


def test_the_report_and_regional_indicators_are_there():
    assert set(REPORT_INDICATORS) <= {q.key for q in SHORT.questions}


def test_a_removed_rule_question_is_caught():
    source = SHORT_PATH.read_text(encoding="utf-8")
    assert source.count("- nokkel: csnat\n") == 1
    without = parse_questionnaire(source.replace("- nokkel: csnat\n", "- nokkel: csnat_gammel\n"))
    assert differences(FULL, without, rule_keys()) == ["csnat: mangler i den korte utgaven"]
    at = source.index("- nokkel: csnat\n")
    recoded = parse_questionnaire(
        source[:at] + source[at:].replace("kode: ja_systematisk", "kode: systematisk", 1)
    )
    assert "csnat: ulik type, koder, område eller betingelse" in differences(
        FULL, recoded, rule_keys()
    )


def test_no_rule_is_left_unassessed_for_want_of_a_question():
    available = {q.key for q in SHORT.questions} | {"innbyggere", "nedslagsfelt"}
    unassessed = [
        rule.id
        for rule in municipal_rules()
        if evaluate(rule, "3909", "Larvik", {}, available=available).absent
    ]
    assert unassessed == []


@pytest.mark.django_db
def test_it_loads_as_a_questionnaire_version():
    version, created = load_questionnaire(SHORT_PATH.read_text(encoding="utf-8"))
    assert created and version.key == "palliasjon-kommune-kort"
    assert version.definition.has_question("koord_finnes")


@pytest.mark.django_db
def test_the_demo_loads_it_so_a_leader_can_choose_it_for_a_new_survey():
    call_command("load-demo", stdout=StringIO())
    assert "palliasjon-kommune-kort" in {v.key for v in latest_questionnaires()}
