"""The demo's answers read like a real survey: one coherent profile per organisation.

Seed 000 states the Vestfold facts the demo must respect: every municipality has a cancer
coordinator, Holmestrand has no palliative unit, all have resource nurses in a network.
The rest is invented, but colleagues agree on most facts about their municipality.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kartlegging.analysis.facts import organisation_facts
from kartlegging.analysis.table import build_table
from kartlegging.questionnaires.answers import parse_answer
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.questionnaires.schema import NUMBER_TYPES, VET_IKKE, Questionnaire
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Survey

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["3901", "3903", "3905", "3907", "3909", "3911"]


@pytest.fixture
def survey() -> Survey:
    call_command("load-demo", stdout=StringIO())
    return Survey.objects.get(slug="vestfold-2026")


def municipal(survey: Survey) -> Questionnaire:
    return survey.questionnaire.definition


def hospital(survey: Survey) -> Questionnaire:
    assert survey.hospital_questionnaire is not None
    return survey.hospital_questionnaire.definition


def facts_of(survey: Survey, *, include_started: bool = False):
    table = build_table(survey, include_started=include_started)
    questionnaire = municipal(survey)
    return organisation_facts(table[table["questionnaire"] == questionnaire.key], questionnaire)


def answered(survey: Survey):
    """(response, questionnaire, values) for every response with answers."""
    for response in Response.objects.filter(respondent__survey=survey).select_related(
        "respondent__organisation"
    ):
        values = response.answer_values()
        if values:
            definition = survey.questionnaire_for(response.respondent.organisation).definition
            yield response, definition, values


def invented(number: str, role: str, questionnaire: Questionnaire, seed: int = 1) -> dict:
    """What the demo generator answers for a person with this role (parsed values)."""
    from kartlegging.responses.demo import invent_answers

    raw = invent_answers(number, role, questionnaire, random.Random(seed), population=27000)
    return {key: parse_answer(questionnaire.question(key), value) for key, value in raw.items()}


def demo_people() -> list[tuple[str, str]]:
    from importlib import import_module

    people = import_module("kartlegging.responses.management.commands.load-demo").PEOPLE
    return [(number, role) for number, persons in people.items() for _name, role in persons]


# ------------------------------------------------------------------ the facts seed 000 states


def test_every_answering_municipality_agrees_it_has_a_cancer_coordinator(survey):
    facts = facts_of(survey, include_started=True)
    koord = {f.organisation: f for f in facts if f.question == "koord_finnes"}
    assert set(koord) >= {"3901", "3905", "3907", "3909", "3911"}  # all that have answered
    assert {number: (f.value, f.disputed) for number, f in koord.items()} == {
        number: ("ja", False) for number in koord
    }


@pytest.mark.parametrize("number", MUNICIPALITIES)
def test_every_demo_person_says_there_is_a_coordinator_and_resource_nurses_in_a_network(
    survey, number
):
    questionnaire = municipal(survey)
    roles = [role for org, role in demo_people() if org == number]
    assert "Kreftkoordinator" in roles
    for seed, role in enumerate(roles):
        answers = invented(number, role, questionnaire, seed)
        assert answers["koord_finnes"] == "ja", role
        # Colleagues may leave a fact blank, but nobody contradicts it.
        assert answers.get("ressurssykepleier_dekning") in ("alle", "noen", None), role
        assert answers.get("ressurssykepleier_nettverk") in ("ja", None), role
        if role == "Kreftkoordinator":
            assert answers["ressurssykepleier_dekning"] in ("alle", "noen")
            assert answers["ressurssykepleier_nettverk"] == "ja"


def test_holmestrand_has_no_palliative_unit_and_the_others_have_one(survey):
    questionnaire = municipal(survey)
    for number, role in demo_people():
        if number == "HF-SIV":
            continue
        answers = invented(number, role, questionnaire)
        expected = "nei" if number == "3903" else "ja"
        assert answers["enhet_finnes"] == expected, (number, role)
        if number == "3903":
            assert not any(key.startswith("enhet_") and key != "enhet_finnes" for key in answers)


def test_the_demo_generator_is_deterministic(survey):
    questionnaire = municipal(survey)
    assert invented("3905", "Kreftkoordinator", questionnaire, 7) == invented(
        "3905", "Kreftkoordinator", questionnaire, 7
    )


# ------------------------------------------------------------------ plausible answers


def test_dont_know_is_rare(survey):
    choices = dont_know = 0
    for _response, questionnaire, values in answered(survey):
        for key, value in values.items():
            if questionnaire.question(key).is_choice:
                choices += 1
                dont_know += value == VET_IKKE or (isinstance(value, list) and VET_IKKE in value)
    assert choices > 300
    assert dont_know / choices < 0.10


def test_answers_respect_conditions_ranges_and_the_respondent(survey):
    for response, questionnaire, values in answered(survey):
        visible = questionnaire.visible_keys(values)
        assert set(values) <= visible, response.respondent
        for key, value in values.items():
            question = questionnaire.question(key)
            if question.type in NUMBER_TYPES:
                assert question.min is None or value >= question.min, key
                assert question.max is None or value <= question.max, key
        organisation = response.respondent.organisation
        if questionnaire.key == "palliasjon-kommune":
            assert values.get("kommunenummer", int(organisation.number)) == int(organisation.number)
            assert values.get("innbyggere", organisation.population) == organisation.population


def test_numbers_are_in_plausible_ranges(survey):
    questionnaire = municipal(survey)
    plausible = {
        "koord_stilling_pct": (40, 300),
        "koord_antall_personer": (1, 4),
        "enhet_senger": (3, 14),
        "enhet_pleiefaktor_dag": (0.3, 1.0),
        "enhet_legetimer_per_pasient_uke": (0.5, 4),
        "ressurssykepleier_antall": (5, 40),
        "ressurssykepleier_tid_pct": (0, 20),
        "hjemmedod_antall": (5, 120),
        "respondent_erfaring_ar": (1, 40),
    }
    seen: dict[str, list[Any]] = defaultdict(list)
    for number, role in demo_people():
        if number != "HF-SIV":
            for key, value in invented(number, role, questionnaire).items():
                seen[key].append(value)
    for key, (low, high) in plausible.items():
        assert seen[key], key
        assert all(low <= value <= high for value in seen[key]), (key, seen[key])
    # Fewer die at home than wish to.
    for number in MUNICIPALITIES:
        answers = invented(number, "Kreftkoordinator", questionnaire)
        assert answers["hjemmedod_antall"] < answers["hjemmedod_onsker_antall"], number


def test_roles_match_the_people(survey):
    expected = {
        "Kreftkoordinator": "koordinator",
        "Ressurssykepleier": "ressurssykepleier",
        "Kommuneoverlege": "lege",
    }
    for response, _questionnaire, values in answered(survey):
        role = response.respondent.role
        if role in expected:
            assert values["respondent_rolle"] == expected[role]
        elif role.startswith(("Enhetsleder", "Avdelingsleder")):
            assert values["respondent_rolle"] == "leder"


def test_free_text_reads_like_short_answers_that_differ_between_municipalities(survey):
    texts: dict[str, set[str]] = defaultdict(set)
    for response, questionnaire, values in answered(survey):
        for key, value in values.items():
            if questionnaire.question(key).type == "lang_tekst":
                assert 15 <= len(value) <= 600, value
                assert value[0].isupper() and value.rstrip()[-1] in ".!?", value
                texts[response.respondent.organisation.number].add(value)
    assert len(texts) >= 4
    styrker = set()
    for response, _questionnaire, values in answered(survey):
        if response.status == Response.Status.SUBMITTED and "styrker" in values:
            styrker.add(values["styrker"])
    assert len(styrker) >= 4  # not one stock phrase for everyone


# ------------------------------------------------------------------ colleagues


def test_colleagues_agree_on_most_facts_and_disagree_on_a_few(survey):
    facts = facts_of(survey)
    shared = [f for f in facts if len(f.values) > 1]
    disputed = [f for f in shared if f.disputed]
    assert shared
    assert 1 <= len(disputed) <= len(shared) / 10, [(f.organisation, f.question) for f in disputed]


def test_colleagues_opinions_vary_around_the_municipality(survey):
    questionnaire = municipal(survey)
    scale = [q.key for q in questionnaire.questions if q.type == "skala4"]
    per_org: dict[str, list[dict]] = defaultdict(list)
    for response, definition, values in answered(survey):
        if definition.key == questionnaire.key and response.status == Response.Status.SUBMITTED:
            per_org[response.respondent.organisation.number].append(values)
    differing = same = 0
    for people in per_org.values():
        if len(people) < 2:
            continue
        for key in scale:
            given = [p[key] for p in people if key in p]
            if len(given) > 1:
                if len(set(given)) > 1:
                    differing += 1
                else:
                    same += 1
    assert differing >= 3 and same >= differing  # not identical, not random


def test_the_opinions_spread_over_the_scale(survey):
    counts: Counter[str] = Counter()
    for _response, questionnaire, values in answered(survey):
        for key, value in values.items():
            if questionnaire.question(key).type == "skala4":
                counts[value] += 1
    assert {"stor", "noen", "liten"} <= set(counts)
    assert counts["noen"] + counts["stor"] > counts["liten"] + counts["ikke"]


# ------------------------------------------------------------------ the hospital


def test_the_hospital_answers_its_own_questionnaire_plausibly(survey):
    definition = hospital(survey)
    responses = [
        (response, values)
        for response, questionnaire, values in answered(survey)
        if response.respondent.organisation.number == "HF-SIV"
    ]
    assert responses
    for response, values in responses:
        assert set(values) <= {q.key for q in definition.questions}
        assert values["hf_rolle"] == "sykepleier"  # the submitted one is the cancer nurse
        assert {"lege", "sykepleier"} <= set(values["team_faggrupper"])
        assert 200 <= values["team_samlet_stilling_pct"] <= 1500
        assert values["samarbeid_kommuner_samlet"] in ("stor", "noen")
        assert "styrker" in values
    doctor = invented("HF-SIV", "Overlege, palliativt team", definition)
    assert doctor["hf_rolle"] == "lege"
    assert doctor["team_faggrupper"] == responses[0][1]["team_faggrupper"]


def test_the_questionnaires_the_demo_loads_are_the_ones_profiled(survey):
    from kartlegging.responses.demo import profiled_keys

    for version in QuestionnaireVersion.objects.filter(
        key__in=["palliasjon-kommune", "palliasjon-helseforetak"]
    ):
        definition = version.definition
        facts = {q.key for q in definition.questions if q.scope == "organisasjon"}
        missing = facts - profiled_keys(definition.key) - {"kommunenummer", "innbyggere"}
        assert not missing, (definition.key, sorted(missing))


def test_the_generator_also_answers_the_short_variant_and_unprofiled_organisations(survey):
    short = QuestionnaireVersion.objects.get(key="palliasjon-kommune-kort").definition
    for number in ("3903", "0301"):  # Holmestrand, and Oslo (no profile: invented facts)
        answers = invented(number, "Ressurssykepleier", short)
        assert set(answers) <= short.visible_keys(answers)
        assert answers["respondent_rolle"] == "ressurssykepleier"
    assert invented("3903", "Kreftkoordinator", short)["enhet_finnes"] == "nei"
    # Without a profile, colleagues still agree on the facts (seeded by organisation).
    one, other = (
        invented("0301", role, short, seed) for seed, role in enumerate(["Lege", "Leder"])
    )
    shared = [
        key
        for key in set(one) & set(other)
        if short.question(key).scope == "organisasjon" and key != "innbyggere"
    ]
    assert shared and all(one[key] == other[key] for key in shared)
