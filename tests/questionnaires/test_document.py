"""A parsed questionnaire written back in its file format, and conditions as one line of
text: what the spreadsheet, FHIR and the editor rely on to lose nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kartlegging.questionnaires.conditions import (
    Condition,
    ConditionError,
    condition_from_text,
    condition_text,
)
from kartlegging.questionnaires.document import dump_yaml, to_document
from kartlegging.questionnaires.schema import QuestionnaireError, parse_questionnaire
from tests.questionnaires.test_schema import with_questions

ROOT = Path(__file__).parent.parent.parent
FILES = [
    ROOT / "questionnaires" / "palliasjon-kommune.yaml",
    ROOT / "questionnaires" / "palliasjon-helseforetak.yaml",
    ROOT / "tests" / "fixtures" / "mini.yaml",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_questionnaire_written_back_reads_as_the_same_questionnaire(path):
    original = parse_questionnaire(path.read_text(encoding="utf-8"))
    written = dump_yaml(to_document(original))
    assert parse_questionnaire(written) == original
    assert "!!python" not in written and "&id" not in written


def test_written_yaml_keeps_norwegian_letters_and_the_shorthands():
    original = parse_questionnaire(FILES[0].read_text(encoding="utf-8"))
    written = dump_yaml(to_document(original))
    assert "Åpenhet" in written or "ø" in written
    assert "vet_ikke: true" in written
    assert "- kode: vet_ikke" not in written  # «Vet ikke» stays the shorthand


CONDITIONS = [
    (Condition("a", "er", "ja"), "a = 'ja'"),
    (Condition("a", "er", ["ja", "kanskje"]), "a in ['ja', 'kanskje']"),
    (Condition("a", "ikke_er", "nei"), "a != 'nei'"),
    (Condition("a", "ikke_er", ["nei", "vet_ikke"]), "not a in ['nei', 'vet_ikke']"),
    (Condition("n", "storre_enn", 0), "n > 0"),
    (Condition("n", "mindre_enn", 2.5), "n < 2.5"),
    (Condition("n", "er_besvart", True), "besvart(n)"),
    (Condition("n", "er_besvart", False), "not besvart(n)"),
    (
        Condition(all_of=(Condition("a", "er", "ja"), Condition("n", "storre_enn", 0))),
        "a = 'ja' and n > 0",
    ),
    (
        Condition(
            any_of=(
                Condition("a", "er", "ja"),
                Condition(all_of=(Condition("b", "er", "ja"), Condition("n", "mindre_enn", 5))),
            )
        ),
        "a = 'ja' or (b = 'ja' and n < 5)",
    ),
]


@pytest.mark.parametrize(("condition", "text"), CONDITIONS, ids=[t for _c, t in CONDITIONS])
def test_a_condition_as_text_and_back(condition, text):
    assert condition_text(condition) == text
    assert condition_from_text(text) == condition


def test_not_equal_written_with_not_reads_as_ikke_er():
    assert condition_from_text("not a = 'ja'") == Condition("a", "ikke_er", "ja")


@pytest.mark.parametrize(
    "text", ["a >= 2", "max(a, b) > 2", "a + 1 > 2", "'ja' = a", "not n > 2", "a"]
)
def test_a_condition_the_questionnaire_cannot_show_is_refused_in_words(text):
    with pytest.raises(ConditionError) as caught:
        condition_from_text(text)
    assert "nokkel = 'kode'" in str(caught.value)


YES_NO = "{nokkel: a, tekst: A, type: ja_nei}"
TOOLS = (
    "{nokkel: verktoy, tekst: Verktøy, type: flervalg, alternativer: "
    "[{kode: spict, tekst: SPICT}, {kode: ipos, tekst: IPOS}]}"
)


def test_yaml_may_write_a_condition_as_text_and_it_is_checked_like_the_mapping():
    text = with_questions(YES_NO, "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: \"a = 'ja'\"}")
    assert parse_questionnaire(text).question("b").condition == Condition("a", "er", "ja")
    broken = with_questions(
        YES_NO,
        "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: \"a = 'kanskje' or c = 'ja'\"}",
        '{nokkel: c, tekst: C, type: kort_tekst, vis_hvis: "a >>"}',
    )
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(broken)
    assert caught.value.problems == [
        "seksjon organisering → spørsmål b → vis_hvis: 'kanskje' er ikke et alternativ i 'a'",
        "seksjon organisering → spørsmål b → vis_hvis: viser til spørsmålet 'c', som ikke "
        "finnes tidligere i skjemaet",
        "seksjon organisering → spørsmål c → vis_hvis: uventet «>»",
    ]


@pytest.mark.parametrize(
    "written", ["{sporsmal: verktoy, er: [spict]}", "{sporsmal: verktoy, inneholder: [spict]}"]
)
def test_one_ticked_box_is_one_condition_however_it_is_written(written):
    text = with_questions(TOOLS, f"{{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {written}}}")
    condition = parse_questionnaire(text).question("b").condition
    assert condition == Condition("verktoy", "inneholder", "spict")
    assert condition.evaluate({"verktoy": ["spict", "ipos"]})
    assert not condition.evaluate({"verktoy": ["ipos"]})
