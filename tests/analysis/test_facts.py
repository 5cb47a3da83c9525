"""Organisation facts: agreed, disputed, and settled by the project leader."""

from __future__ import annotations

import pandas as pd

from kartlegging.analysis.facts import Fact, organisation_facts
from kartlegging.analysis.table import COLUMNS
from kartlegging.questionnaires.schema import parse_questionnaire

SCHEMA = parse_questionnaire(
    """
nokkel: fakta
tittel: Fakta
seksjoner:
  - nokkel: organisering
    tittel: Organisering
    tema: organisering
    sporsmal:
      - {nokkel: koord_finnes, tekst: Koordinator, type: ja_nei, omfang: organisasjon}
      - {nokkel: senger, tekst: Antall senger, type: heltall, omfang: organisasjon}
      - nokkel: tiltak
        tekst: Tiltak
        type: flervalg
        omfang: organisasjon
        alternativer:
          - {kode: team, tekst: Team}
          - {kode: plan, tekst: Plan}
      - {nokkel: vurdering, tekst: Vurdering, type: skala4}
"""
)

ORGS = {"3901": "Horten", "3903": "Holmestrand", "301": "Oslo"}


def make_table(answers: list[tuple[int, str, str, str, object]]) -> pd.DataFrame:
    """(response, role, organisation, question, value) → a table like build_table's."""
    rows = [
        (
            response,
            role,
            org,
            ORGS[org],
            "kommune",
            "stor",
            SCHEMA.key,
            key,
            "organisering",
            SCHEMA.question(key).scope,
            SCHEMA.question(key).type,
            value,
            True,
        )
        for response, role, org, key, value in answers
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


ANSWERS = [
    (1, "Kreftkoordinator", "3901", "koord_finnes", "ja"),
    (2, "Leder", "3901", "koord_finnes", "ja"),
    (1, "Kreftkoordinator", "3901", "senger", 4),
    (2, "Leder", "3901", "senger", 6),
    (1, "Kreftkoordinator", "3901", "tiltak", ["team", "plan"]),
    (2, "Leder", "3901", "tiltak", ["plan", "team"]),
    (1, "Kreftkoordinator", "3901", "vurdering", "stor"),  # person scope: no fact
    (2, "Leder", "3901", "vurdering", "liten"),
    (3, "Sykepleier", "3903", "senger", 2),
]


def by_key(facts: list[Fact]) -> dict[tuple[str, str], Fact]:
    return {(f.organisation, f.question): f for f in facts}


def test_agreed_and_disputed_facts():
    facts = by_key(organisation_facts(make_table(ANSWERS), SCHEMA))
    assert set(facts) == {
        ("3901", "koord_finnes"),
        ("3901", "senger"),
        ("3901", "tiltak"),
        ("3903", "senger"),
    }
    agreed = facts[("3901", "koord_finnes")]
    assert (agreed.value, agreed.disputed, agreed.chosen_by_leader) == ("ja", False, False)
    assert agreed.organisation_name == "Horten"
    disputed = facts[("3901", "senger")]
    assert (disputed.value, disputed.disputed, disputed.chosen_by_leader) == (None, True, False)
    assert disputed.values == [(1, "Kreftkoordinator", 4), (2, "Leder", 6)]
    alone = facts[("3903", "senger")]
    assert (alone.value, alone.disputed) == (2, False)


def test_multiple_choice_lists_are_compared_as_sets():
    fact = by_key(organisation_facts(make_table(ANSWERS), SCHEMA))[("3901", "tiltak")]
    assert fact.disputed is False
    assert fact.value == ["team", "plan"]


def test_leader_choice_settles_the_dispute():
    facts = by_key(organisation_facts(make_table(ANSWERS), SCHEMA, choices={("3901", "senger"): 6}))
    chosen = facts[("3901", "senger")]
    assert (chosen.value, chosen.disputed, chosen.chosen_by_leader) == (6, False, True)
    assert len(chosen.values) == 2  # the answers are kept for the record
    assert facts[("3901", "koord_finnes")].chosen_by_leader is False


def test_order_is_organisation_number_then_questionnaire():
    answers = [*ANSWERS, (4, "Lege", "301", "koord_finnes", "nei")]
    facts = organisation_facts(make_table(answers[::-1]), SCHEMA)
    assert [(f.organisation, f.question) for f in facts] == [
        ("301", "koord_finnes"),
        ("3901", "koord_finnes"),
        ("3901", "senger"),
        ("3901", "tiltak"),
        ("3903", "senger"),
    ]
    # values are in response order even when the table is not
    senger = by_key(facts)[("3901", "senger")]
    assert [response for response, _role, _value in senger.values] == [1, 2]
