"""Conditions (vis_hvis): which follow-up questions a respondent sees."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartlegging.questionnaires.conditions import (
    UNKNOWN,
    ConditionError,
    evaluate,
    parse_condition,
)
from kartlegging.questionnaires.schema import Condition, parse_questionnaire

MINI = Path(__file__).parent.parent / "fixtures" / "mini.yaml"


def leaf(operator, value, question="a"):
    return Condition(question=question, operator=operator, value=value)


@pytest.mark.parametrize(
    ("condition", "answer", "shown"),
    [
        (leaf("er", "ja"), "ja", True),
        (leaf("er", "ja"), "nei", False),
        (leaf("er", ["ja", "vet_ikke"]), "vet_ikke", True),
        (leaf("er", ["ja", "vet_ikke"]), "nei", False),
        (leaf("ikke_er", "nei"), "ja", True),
        (leaf("ikke_er", "nei"), "nei", False),
        (leaf("ikke_er", ["nei", "vet_ikke"]), "vet_ikke", False),
        (leaf("inneholder", "spict"), ["spict", "annet"], True),
        (leaf("inneholder", "spict"), ["annet"], False),
        (leaf("inneholder", ["spict", "ingen"]), ["ingen"], True),
        (leaf("storre_enn", 0), 3, True),
        (leaf("storre_enn", 0), 0, False),
        (leaf("storre_enn", 0), 0.5, True),
        (leaf("mindre_enn", 50), 49, True),
        (leaf("mindre_enn", 50), 50, False),
        (leaf("storre_enn", 0), "5", False),  # text is not a number
        (leaf("er_besvart", True), "noe", True),
        (leaf("er_besvart", True), "", False),
        (leaf("er_besvart", True), [], False),
        (leaf("er_besvart", False), [], True),
        (leaf("er_besvart", False), 0, False),  # 0 is an answer
    ],
)
def test_leaf_conditions(condition, answer, shown):
    assert condition.evaluate({"a": answer}) is shown


@pytest.mark.parametrize(
    "operator,value",
    [
        ("er", "ja"),
        ("ikke_er", "nei"),
        ("inneholder", "spict"),
        ("storre_enn", 0),
        ("mindre_enn", 50),
    ],
)
def test_unanswered_question_shows_no_follow_up(operator, value):
    assert leaf(operator, value).evaluate({}) is False
    assert leaf(operator, value).evaluate({"a": None}) is False


def test_alle_needs_every_part_and_en_av_needs_one():
    both = Condition(all_of=(leaf("er", "ja", "a"), leaf("storre_enn", 0, "b")))
    either = Condition(any_of=(leaf("er", "ja", "a"), leaf("storre_enn", 0, "b")))
    assert both.evaluate({"a": "ja", "b": 2})
    assert not both.evaluate({"a": "ja", "b": 0})
    assert either.evaluate({"a": "nei", "b": 2})
    assert not either.evaluate({"a": "nei"})
    assert both.questions() == {"a", "b"}


CHAIN = textwrap.dedent("""\
    nokkel: kjede
    tittel: Kjede
    seksjoner:
      - nokkel: en
        tittel: En
        tema: organisering
        sporsmal:
          - {nokkel: team, tekst: Team, type: ja_nei, vet_ikke: true}
          - {nokkel: team_leger, tekst: Leger, type: ja_nei, vis_hvis: {sporsmal: team, er: "ja"}}
          - {nokkel: lege_antall, tekst: Antall, type: heltall, min: 0, maks: 50,
             vis_hvis: {sporsmal: team_leger, er: "ja"}}
          - {nokkel: verktoy, tekst: Verktøy, type: flervalg,
             alternativer: [{kode: spict, tekst: SPICT}, {kode: ingen, tekst: Ingen, eksklusiv: true}]}
          - {nokkel: spict_hvordan, tekst: Hvordan, type: kort_tekst,
             vis_hvis: {sporsmal: verktoy, inneholder: spict}}
      - nokkel: to
        tittel: To
        tema: kompetanse
        vis_hvis: {en_av: [{sporsmal: lege_antall, storre_enn: 0}, {sporsmal: team, ikke_er: "nei"}]}
        sporsmal:
          - {nokkel: kurs, tekst: Kurs, type: ja_nei}
          - {nokkel: kurs_antall, tekst: Antall kurs, type: heltall,
             vis_hvis: {alle: [{sporsmal: kurs, er: "ja"}, {sporsmal: team_leger, er_besvart: true}]}}
    """)


@pytest.fixture(scope="module")
def chain():
    return parse_questionnaire(CHAIN)


def test_follow_up_shown_when_condition_holds(chain):
    visible = chain.visible_keys({"team": "ja", "team_leger": "ja"})
    assert {"team_leger", "lege_antall"} <= visible


def test_hidden_question_hides_its_own_follow_ups(chain):
    # The stored answer team_leger=ja no longer counts once team=nei hides it.
    visible = chain.visible_keys({"team": "nei", "team_leger": "ja", "lege_antall": 3})
    assert visible == {"team", "verktoy"}


def test_section_condition_hides_the_whole_section(chain):
    assert [s.key for s in chain.visible_sections({"team": "nei"})] == ["en"]
    assert [s.key for s in chain.visible_sections({"team": "vet_ikke"})] == ["en", "to"]
    assert "kurs_antall" not in chain.visible_keys({"team": "nei", "kurs": "ja"})


def test_mini_follow_up_for_other_role():
    mini = parse_questionnaire(MINI.read_text(encoding="utf-8"))
    assert "respondent_rolle_annet" in mini.visible_keys({"respondent_rolle": "annet"})
    assert "respondent_rolle_annet" not in mini.visible_keys({"respondent_rolle": "annet "})
    assert "koord_stilling_pct" not in mini.visible_keys({"koord_finnes": "vet_ikke"})


def test_numeric_option_codes_match_their_condition():
    # `kode: 1` is stored as "1"; a condition written `er: 1` must still match it.
    parsed = parse_questionnaire(
        textwrap.dedent("""\
        nokkel: tall
        tittel: Tall
        seksjoner:
          - nokkel: en
            tittel: En
            tema: bakgrunn
            sporsmal:
              - {nokkel: niva, tekst: Nivå, type: enkeltvalg,
                 alternativer: [{kode: 1, tekst: En}, {kode: 2, tekst: To}]}
              - {nokkel: hvorfor, tekst: Hvorfor, type: kort_tekst, vis_hvis: {sporsmal: niva, er: 1}}
        """)
    )
    assert [o.code for o in parsed.question("niva").options] == ["1", "2"]
    assert "hvorfor" in parsed.visible_keys({"niva": "1"})
    assert "hvorfor" not in parsed.visible_keys({"niva": "2"})


ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "team": st.sampled_from(["ja", "nei", "vet_ikke"]),
        "team_leger": st.sampled_from(["ja", "nei"]),
        "lege_antall": st.integers(0, 50),
        "verktoy": st.sampled_from([["spict"], ["ingen"], []]),
        "spict_hvordan": st.sampled_from(["", "Ukentlig"]),
        "kurs": st.sampled_from(["ja", "nei"]),
        "kurs_antall": st.integers(0, 9),
    },
)


@settings(max_examples=60, deadline=None)
@given(answers=ANSWERS)
def test_visible_means_every_condition_holds_for_counted_answers(chain, answers):
    visible = chain.visible_keys(answers)
    counted = {k: v for k, v in answers.items() if k in visible}
    for section in chain.sections:
        section_shown = section.condition is None or section.condition.evaluate(counted)
        for question in section.questions:
            own = question.condition is None or question.condition.evaluate(counted)
            assert (question.key in visible) == (section_shown and own), question.key
    # Unconditional questions in an unconditional section are always shown.
    assert {"team", "verktoy"} <= visible


# --------------------------------------------------------------------------- one language


@pytest.mark.parametrize(
    ("operator", "value", "text"),
    [
        ("er", "ja", "a = 'ja'"),
        ("er", ["ja", "nei"], "a in ['ja', 'nei']"),
        ("ikke_er", "nei", "a != 'nei'"),
        ("ikke_er", ["ja", "nei"], "not a in ['ja', 'nei']"),
        ("inneholder", "spict", "a in ['spict']"),
        ("storre_enn", 0, "a > 0"),
        ("mindre_enn", 50, "a < 50"),
    ],
)
def test_vis_hvis_is_the_rules_language_written_as_a_mapping(operator, value, text):
    condition = leaf(operator, value)
    assert condition.tree == parse_condition(text).tree
    for answer in ["ja", "nei", "spict", ["spict", "annet"], ["nei"], 0, 3, 50, None]:
        # The questionnaire's view: shown exactly when the three-valued result is true
        # (leniently: text where a number is expected is unknown, see below).
        shown = evaluate(parse_condition(text).tree, {"a": answer}, lenient=True) is True
        assert condition.evaluate({"a": answer}) is shown, answer


def test_alle_and_en_av_are_and_and_or():
    both = Condition(all_of=(leaf("er", "ja", "a"), leaf("storre_enn", 0, "b")))
    either = Condition(any_of=(leaf("er", "ja", "a"), leaf("storre_enn", 0, "b")))
    assert both.tree == parse_condition("a = 'ja' and b > 0").tree
    assert either.tree == parse_condition("a = 'ja' or b > 0").tree


def test_er_on_multiple_choice_means_among_the_chosen_as_in_the_rules():
    assert leaf("er", "spict").evaluate({"a": ["spict", "annet"]})
    assert not leaf("ikke_er", "spict").evaluate({"a": ["spict", "annet"]})
    assert leaf("ikke_er", "spict").evaluate({"a": ["annet"]})


def test_an_odd_stored_answer_is_unknown_not_an_error_and_does_not_hide_the_other_branch():
    either = Condition(any_of=(leaf("storre_enn", 0, "a"), leaf("er", "ja", "b")))
    assert either.evaluate({"a": "mange", "b": "ja"})
    assert not either.evaluate({"a": "mange", "b": "nei"})
    # The rules keep the strict view: a type error there is a mistake in the rule.
    with pytest.raises(ConditionError, match="er ikke et tall"):
        parse_condition("a > 0 or b = 'ja'").evaluate({"a": "mange", "b": "ja"})


def test_unknown_is_not_shown_where_the_rules_say_unknown():
    assert evaluate(leaf("er", "ja").tree, {}) is UNKNOWN
    assert leaf("er", "ja").evaluate({}) is False
    assert leaf("ikke_er", "ja").evaluate({"a": ""}) is False
