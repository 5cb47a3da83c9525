"""Turning what the respondent typed into stored values, and back into text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kartlegging.questionnaires.answers import (
    AnswerError,
    display_value,
    format_number,
    parse_answer,
)
from kartlegging.questionnaires.schema import Question, parse_questionnaire

MINI = Path(__file__).parent.parent / "fixtures" / "mini.yaml"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def q():
    mini = parse_questionnaire(MINI.read_text(encoding="utf-8"))
    questions = {question.key: question for question in mini.questions}
    questions["andel"] = Question(
        key="andel", text="Andel", type="prosent", scope="person", section="s", min=0, max=100
    )
    return questions


def refused(question, *raw) -> str:
    with pytest.raises(AnswerError) as caught:
        parse_answer(question, list(raw))
    return str(caught.value)


@pytest.mark.parametrize(
    ("raw", "value"), [("0,8", 0.8), ("0.8", 0.8), ("2", 2.0), (" 1,25 ", 1.25)]
)
def test_decimal_with_comma_or_point(q, raw, value):
    assert parse_answer(q["enhet_pleiefaktor_dag"], [raw]) == value


@pytest.mark.parametrize(
    ("raw", "value"), [("60", 60), ("1 000", 1000), (f"1{NBSP}000", 1000), ("0", 0)]
)
def test_integers_with_spaces_as_thousands_separator(q, raw, value):
    assert parse_answer(q["koord_stilling_pct"], [raw]) == value


@pytest.mark.parametrize("raw", ["40 %", "40%", "40"])
def test_percent_may_carry_the_sign(q, raw):
    assert parse_answer(q["andel"], [raw]) == 40


def test_integer_refuses_decimals(q):
    assert refused(q["koord_stilling_pct"], "12,5") == "Skriv et helt tall, uten desimaler."
    assert parse_answer(q["koord_stilling_pct"], ["50,0"]) == 50


@pytest.mark.parametrize("raw", ["mange", "1e3", "1,2,3", "--1", "12 kr"])
def test_not_a_number(q, raw):
    assert refused(q["koord_stilling_pct"], raw) == "Skriv et tall, for eksempel 40."


def test_range_errors_name_the_range_and_unit(q):
    assert refused(q["koord_stilling_pct"], "5000") == (
        f"Skriv et tall mellom 0 og 1{NBSP}000 % stilling."
    )
    assert refused(q["koord_stilling_pct"], "-1") == (
        f"Skriv et tall mellom 0 og 1{NBSP}000 % stilling."
    )
    assert refused(q["enhet_pleiefaktor_dag"], "2,5") == "Skriv et tall mellom 0 og 2."
    assert refused(q["andel"], "101 %") == "Skriv et tall mellom 0 og 100."


def test_empty_input_means_not_answered(q):
    assert parse_answer(q["koord_stilling_pct"], []) is None
    assert parse_answer(q["koord_stilling_pct"], ["  "]) is None
    assert parse_answer(q["ident_verktoy"], []) is None


def test_dates(q):
    assert parse_answer(q["fagdag_dato"], ["2026-03-15"]) == "2026-03-15"
    for bad in ("15.03.2026", "2026-02-30", "i fjor"):
        assert refused(q["fagdag_dato"], bad) == (
            "Skriv datoen som åååå-mm-dd, for eksempel 2026-03-15."
        )


def test_short_text_limit_is_500(q):
    assert parse_answer(q["respondent_rolle_annet"], ["x" * 500]) == "x" * 500
    assert refused(q["respondent_rolle_annet"], "x" * 501) == (
        "Teksten kan ikke være lengre enn 500 tegn (den er 501)."
    )


def test_long_text_limit_is_10000(q):
    assert len(parse_answer(q["kompetanse_utdyp"], ["x" * 10_000])) == 10_000
    assert refused(q["kompetanse_utdyp"], "x" * 10_001).startswith(
        f"Teksten kan ikke være lengre enn 10{NBSP}000 tegn"
    )


def test_short_text_is_trimmed_long_text_keeps_its_lines(q):
    assert parse_answer(q["respondent_rolle_annet"], ["  Lege  "]) == "Lege"
    assert parse_answer(q["kompetanse_utdyp"], ["  Punkt 1\r\nPunkt 2"]) == "  Punkt 1\nPunkt 2"


def test_single_choice(q):
    assert parse_answer(q["koord_finnes"], ["vet_ikke"]) == "vet_ikke"
    assert refused(q["koord_finnes"], "kanskje") == "Velg et av alternativene."
    assert refused(q["koord_finnes"], "ja", "nei") == "Velg bare ett svar."


def test_multiple_choice_is_stored_in_questionnaire_order_without_duplicates(q):
    assert parse_answer(q["ident_verktoy"], ["annet", "spict", "annet"]) == ["spict", "annet"]


def test_multiple_choice_refuses_unknown_codes(q):
    assert refused(q["ident_verktoy"], "spict", "nyhet") == "Velg blant alternativene."


def test_exclusive_option_cannot_be_combined(q):
    assert parse_answer(q["ident_verktoy"], ["ingen"]) == ["ingen"]
    assert refused(q["ident_verktoy"], "spict", "ingen") == (
        "«Ingen» kan ikke kombineres med andre svar."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.5, f"1{NBSP}234,5"),
        (20000, f"20{NBSP}000"),
        (2.0, "2"),
        (0.8, "0,8"),
        (-1500, f"-1{NBSP}500"),
        (None, "–"),
    ],
)
def test_format_number_is_norwegian(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("samarbeid_fastlege", "noen", "I noen grad"),
        ("koord_finnes", "vet_ikke", "Vet ikke"),
        ("ident_verktoy", ["spict", "annet"], "SPICT, Annet"),
        ("koord_stilling_pct", 1500, f"1{NBSP}500 % stilling"),
        ("andel", 40, "40 %"),
        ("enhet_pleiefaktor_dag", 1.5, "1,5"),
        ("fagdag_dato", "2026-03-15", "15.03.2026"),
        ("kompetanse_utdyp", "Fritekst", "Fritekst"),
        ("koord_finnes", None, ""),
        ("ident_verktoy", [], ""),
    ],
)
def test_display_value_reads_like_the_form(q, key, value, text):
    assert display_value(q[key], value) == text


def test_number_with_only_a_lower_limit_says_minst():
    beds = Question(
        key="senger",
        text="Senger",
        type="heltall",
        scope="organisasjon",
        section="s",
        unit="senger",
        min=0,
    )
    assert refused(beds, "-1") == "Skriv et tall som er minst 0 senger."


def test_number_with_only_an_upper_limit_says_hoyst():
    hours = Question(
        key="timer",
        text="Timer",
        type="desimaltall",
        scope="person",
        section="s",
        unit="timer",
        max=20,
    )
    assert refused(hours, "20,5") == "Skriv et tall som er høyst 20 timer."


def test_browser_line_breaks_count_as_one_character(q):
    text = "a\r\n" * 4000 + "b" * 1999  # 13 999 as sent, 9 999 once line breaks are normalised
    assert len(parse_answer(q["kompetanse_utdyp"], [text])) == 9999
