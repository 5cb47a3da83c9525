"""Frequency tables: bases, percentages, Vet ikke, numbers, groups and suppression.

Expected numbers are worked out by hand in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartlegging.analysis.frequencies import (
    FREQUENCY_COLUMNS,
    format_percent,
    format_statistic,
    frequency_table,
)
from kartlegging.analysis.table import COLUMNS
from kartlegging.organisations.sizes import size_class_label
from kartlegging.questionnaires.schema import parse_questionnaire

SCHEMA = parse_questionnaire(
    """
nokkel: test-kommune
tittel: Test
seksjoner:
  - nokkel: organisering
    tittel: Organisering
    tema: organisering
    sporsmal:
      - {nokkel: koord_finnes, tekst: "Har kommunen koordinator?", type: ja_nei,
         vet_ikke: true, omfang: organisasjon}
      - {nokkel: stilling_pct, tekst: Stillingsprosent, type: heltall, omfang: organisasjon}
      - nokkel: tiltak
        tekst: Hvilke tiltak finnes?
        type: flervalg
        vet_ikke: true
        alternativer:
          - {kode: team, tekst: Palliativt team}
          - {kode: senger, tekst: Lindrende senger}
          - {kode: plan, tekst: Plan}
      - {nokkel: kommentar, tekst: Kommentar, type: lang_tekst}
      - {nokkel: trygg, tekst: "Er du trygg i rollen?", type: ja_nei, vet_ikke: true}
      - {nokkel: erfaring_ar, tekst: År i stillingen, type: heltall}
      - {nokkel: kommunenummer, tekst: Kommunenummer, type: heltall, omfang: organisasjon}
      - {nokkel: innbyggere, tekst: Innbyggere, type: heltall, omfang: organisasjon}
  - nokkel: samarbeid
    tittel: Samarbeid
    tema: helhetlig
    sporsmal:
      - {nokkel: samarbeid_fastlege, tekst: "Fungerer samarbeidet?", type: skala4, vet_ikke: true}
      - {nokkel: pleiefaktor, tekst: Pleiefaktor, type: desimaltall}
      - {nokkel: ubesvart, tekst: Ingen svarer her, type: ja_nei}
"""
)

# number → (name, kind, size_class)
ORGS = {
    "3901": ("Horten", "kommune", "stor"),
    "3903": ("Holmestrand", "kommune", "mellomstor"),
    "3911": ("Færder", "kommune", "stor"),
    "HF1": ("Sykehuset i Vestfold", "helseforetak", None),
}


def make_table(answers: list[tuple[int, str, str, object]]) -> pd.DataFrame:
    """(response, organisation, question, value) → a table shaped like build_table's."""
    rows = []
    for response, org, key, value in answers:
        name, kind, size = ORGS[org]
        if SCHEMA.has_question(key):
            question = SCHEMA.question(key)
            theme, scope, qtype = SCHEMA.section_of(key).theme, question.scope, question.type
        else:
            theme, scope, qtype = "bakgrunn", "person", "ja_nei"
        rows.append(
            (
                response,
                "Kreftkoordinator",
                org,
                name,
                kind,
                size,
                SCHEMA.key,
                key,
                theme,
                scope,
                qtype,
                value,
                True,
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def block(df: pd.DataFrame, question: str, group: str = "alle") -> dict[str, tuple]:
    """option → (count, base, percent) for one question and group."""
    part = df[(df["question"] == question) & (df["group"] == group)]
    return {
        row.option: (row.count, row.base, None if row.percent is None else round(row.percent, 1))
        for row in part.itertuples(index=False)
    }


def test_columns_questions_and_options_in_questionnaire_order():
    table = make_table(
        [
            (1, "3901", "samarbeid_fastlege", "stor"),
            (1, "3901", "trygg", "ja"),
            (1, "3901", "kommentar", "Fritekst telles ikke"),
            (1, "3901", "fremmed", "ja"),  # not in this questionnaire
        ]
    )
    df = frequency_table(table, SCHEMA)
    assert list(df.columns) == FREQUENCY_COLUMNS
    assert list(dict.fromkeys(df["question"])) == ["trygg", "samarbeid_fastlege"]
    assert list(df[df["question"] == "trygg"]["option"]) == ["ja", "nei", "vet_ikke"]
    assert list(df[df["question"] == "trygg"]["option_text"]) == ["Ja", "Nei", "Vet ikke"]
    assert list(df[df["question"] == "samarbeid_fastlege"]["option"]) == [
        "stor",
        "noen",
        "liten",
        "ikke",
        "vet_ikke",
    ]
    assert set(df["group"]) == {"alle"}
    assert df.iloc[0]["question_text"] == "Er du trygg i rollen?"


def test_empty_table_gives_empty_frame_with_the_columns():
    df = frequency_table(pd.DataFrame([], columns=COLUMNS), SCHEMA)
    assert df.empty
    assert list(df.columns) == FREQUENCY_COLUMNS


def test_respondent_who_skipped_is_not_in_the_base():
    # Four responses; response 4 skipped trygg (or had it hidden: build_table
    # leaves hidden answers out, so the table looks the same).
    table = make_table(
        [
            (1, "3901", "trygg", "ja"),
            (2, "3901", "trygg", "ja"),
            (3, "3903", "trygg", "nei"),
            (4, "3903", "samarbeid_fastlege", "stor"),
        ]
    )
    result = block(frequency_table(table, SCHEMA), "trygg")
    # base 3: ja 2/3 = 66.7 %, nei 1/3 = 33.3 %, vet ikke 0 %
    assert result == {"ja": (2, 3, 66.7), "nei": (1, 3, 33.3), "vet_ikke": (0, 3, 0.0)}
    assert block(frequency_table(table, SCHEMA), "samarbeid_fastlege")["stor"] == (1, 1, 100.0)


def test_multiple_choice_percent_of_respondents_can_exceed_100():
    table = make_table(
        [
            (1, "3901", "tiltak", ["team", "senger"]),
            (2, "3901", "tiltak", ["team"]),
            (3, "3903", "tiltak", ["team", "plan"]),
            (4, "3903", "tiltak", ["senger"]),
        ]
    )
    result = block(frequency_table(table, SCHEMA), "tiltak")
    # base 4 respondents: team 3/4, senger 2/4, plan 1/4 → 75 + 50 + 25 = 150 %
    assert result == {
        "team": (3, 4, 75.0),
        "senger": (2, 4, 50.0),
        "plan": (1, 4, 25.0),
        "vet_ikke": (0, 4, 0.0),
    }
    assert sum(p for _c, _b, p in result.values()) == 150.0


def test_vet_ikke_in_the_base_by_default_and_out_on_request():
    table = make_table(
        [
            (1, "3901", "samarbeid_fastlege", "stor"),
            (2, "3901", "samarbeid_fastlege", "noen"),
            (3, "3903", "samarbeid_fastlege", "vet_ikke"),
            (4, "3903", "samarbeid_fastlege", "vet_ikke"),
        ]
    )
    shown = block(frequency_table(table, SCHEMA), "samarbeid_fastlege")
    # base 4: 1/4 = 25 %, vet ikke 2/4 = 50 %
    assert shown["stor"] == (1, 4, 25.0)
    assert shown["vet_ikke"] == (2, 4, 50.0)
    excluded = block(frequency_table(table, SCHEMA, exclude_dont_know=True), "samarbeid_fastlege")
    # base 2: stor 1/2 = 50 %, noen 50 %, liten 0 %; vet ikke still counted, no percent
    assert excluded["stor"] == (1, 2, 50.0)
    assert excluded["noen"] == (1, 2, 50.0)
    assert excluded["liten"] == (0, 2, 0.0)
    assert excluded["vet_ikke"] == (2, 2, None)


def test_vet_ikke_alone_in_multiple_choice_leaves_the_base_when_excluded():
    table = make_table(
        [
            (1, "3901", "tiltak", ["team"]),
            (2, "3901", "tiltak", ["vet_ikke"]),
        ]
    )
    result = block(frequency_table(table, SCHEMA, exclude_dont_know=True), "tiltak")
    assert result["team"] == (1, 1, 100.0)
    assert result["vet_ikke"] == (1, 1, None)


def test_only_vet_ikke_answers_give_no_percent_when_excluded():
    table = make_table([(1, "3901", "trygg", "vet_ikke")])
    result = block(frequency_table(table, SCHEMA, exclude_dont_know=True), "trygg")
    assert result == {"ja": (0, 0, None), "nei": (0, 0, None), "vet_ikke": (1, 0, None)}


def test_numeric_statistics():
    table = make_table(
        [
            (1, "3901", "erfaring_ar", 20),
            (2, "3901", "erfaring_ar", 50),
            (3, "3903", "erfaring_ar", 100),
            (1, "3901", "pleiefaktor", 0.4),
            (2, "3901", "pleiefaktor", 0.8),
            (3, "3903", "pleiefaktor", 1.1),
        ]
    )
    df = frequency_table(table, SCHEMA)
    part = df[df["question"] == "erfaring_ar"]
    assert list(part["option"]) == ["n", "mean", "median", "min", "max", "sum"]
    assert list(part["option_text"]) == [
        "Antall svar",
        "Gjennomsnitt",
        "Median",
        "Minste",
        "Største",
        "Sum",
    ]
    # (20 + 50 + 100) / 3 = 56.666…, unrounded here (format_statistic rounds once)
    assert list(part["count"]) == [3, pytest.approx(56.6667, abs=1e-4), 50.0, 20.0, 100.0, 170.0]
    assert isinstance(part.iloc[0]["count"], int)
    assert set(part["base"]) == {3}
    assert all(p is None for p in part["percent"])
    # 0.4 + 0.8 + 1.1 = 2.3; mean 0.7666…
    assert list(df[df["question"] == "pleiefaktor"]["count"]) == pytest.approx(
        [3, 0.76667, 0.8, 0.4, 1.1, 2.3], abs=1e-4
    )


def test_question_without_answers_is_left_out():
    df = frequency_table(make_table([(1, "3901", "trygg", "ja")]), SCHEMA)
    assert "ubesvart" not in set(df["question"])
    assert "erfaring_ar" not in set(df["question"])


SPLIT_ANSWERS = [
    (1, "3901", "trygg", "ja"),  # stor
    (2, "3901", "trygg", "ja"),  # stor
    (3, "3911", "trygg", "nei"),  # stor
    (4, "3903", "trygg", "ja"),  # mellomstor: one answer only
    (5, "HF1", "trygg", "nei"),  # hospital: no size class
    (1, "3901", "erfaring_ar", 40),
    (4, "3903", "erfaring_ar", 60),
]


def test_split_by_size_suppresses_small_groups_and_leaves_out_hospitals():
    # Two more hospital answers: the hidden medium group (1) and the hospital (3) outside the
    # split are 4 units together, so "alle" minus "large" cannot reveal the medium answer.
    answers = [*SPLIT_ANSWERS, (6, "HF1", "trygg", "ja"), (7, "HF1", "trygg", "nei")]
    df = frequency_table(make_table(answers), SCHEMA, by="size", size_boundaries=(6000, 20000))
    large = size_class_label("stor", (6000, 20000))
    medium = size_class_label("mellomstor", (6000, 20000))
    assert large == "Stor kommune (20\u00a0000 innbyggere og flere)"
    assert list(dict.fromkeys(df["group"])) == [medium, large]  # liten, mellomstor, stor order
    # large: three answers, ja 2/3, nei 1/3
    assert block(df, "trygg", large) == {
        "ja": (2, 3, 66.7),
        "nei": (1, 3, 33.3),
        "vet_ikke": (0, 3, 0.0),
    }
    # medium: one answer → no numbers, base says why
    assert block(df, "trygg", medium) == {
        "ja": (None, "færre enn 3", None),
        "nei": (None, "færre enn 3", None),
        "vet_ikke": (None, "færre enn 3", None),
    }
    assert list(df[(df["group"] == medium) & (df["question"] == "trygg")]["option_text"]) == [
        "Ja",
        "Nei",
        "Vet ikke",
    ]
    # numbers are suppressed too (one answer in each group)
    numbers = df[(df["question"] == "erfaring_ar")]
    assert all(c is None for c in numbers["count"])
    assert set(numbers["base"]) == {"færre enn 3"}


def test_a_hidden_group_that_the_total_would_reveal_hides_the_next_smallest_too():
    # alle 5 = large 3 + medium 1 + hospital 1: showing large would give medium + hospital
    # = 2 answers, below 3, so large is hidden as well (complementary suppression).
    df = frequency_table(
        make_table(SPLIT_ANSWERS), SCHEMA, by="size", size_boundaries=(6000, 20000)
    )
    large = size_class_label("stor", (6000, 20000))
    assert set(df[df["question"] == "trygg"]["base"]) == {"færre enn 3"}
    assert block(df, "trygg", large)["ja"] == (None, "færre enn 3", None)


def test_no_hidden_cell_can_be_derived_from_the_total():
    # by organisation: Horten 5, Færder 4, Holmestrand 1 (hidden). Showing both others would
    # give Holmestrand as 10 - 5 - 4; the smaller of them (Færder) is hidden too.
    answers = [(i, "3901", "trygg", "ja") for i in range(1, 6)]
    answers += [(i, "3911", "trygg", "nei") for i in range(6, 10)]
    answers += [(10, "3903", "trygg", "nei")]
    df = frequency_table(make_table(answers), SCHEMA, by="organisation")
    assert block(df, "trygg", "Horten")["ja"] == (5, 5, 100.0)
    assert block(df, "trygg", "Færder")["nei"] == (None, "færre enn 3", None)
    assert block(df, "trygg", "Holmestrand")["nei"] == (None, "færre enn 3", None)
    total = block(frequency_table(make_table(answers), SCHEMA), "trygg")
    shown = df[(df["question"] == "trygg") & df["count"].notna()]
    hidden = total["nei"][0] - shown.loc[shown["option"] == "nei", "count"].sum()
    assert hidden == 5  # Færder and Holmestrand together: neither can be read alone


def test_alle_is_never_suppressed():
    df = frequency_table(make_table(SPLIT_ANSWERS), SCHEMA, min_n=10)
    # five answers including the hospital: ja 3/5 = 60 %, nei 2/5 = 40 %
    assert block(df, "trygg") == {
        "ja": (3, 5, 60.0),
        "nei": (2, 5, 40.0),
        "vet_ikke": (0, 5, 0.0),
    }
    assert block(df, "erfaring_ar")["n"] == (2, 2, None)


def test_min_n_is_in_the_marker():
    df = frequency_table(make_table(SPLIT_ANSWERS), SCHEMA, by="kind", min_n=5)
    # kommune has 4 answers to trygg, below 5
    assert block(df, "trygg", "Kommune")["ja"] == (None, "færre enn 5", None)


def test_split_by_kind_names_groups_in_norwegian():
    df = frequency_table(make_table(SPLIT_ANSWERS), SCHEMA, by="kind", min_n=1)
    assert list(dict.fromkeys(df["group"])) == ["Kommune", "Helseforetak"]
    assert block(df, "trygg", "Kommune")["ja"] == (3, 4, 75.0)
    assert block(df, "trygg", "Helseforetak")["nei"] == (1, 1, 100.0)


def test_split_by_organisation_uses_names_in_number_order():
    df = frequency_table(make_table(SPLIT_ANSWERS), SCHEMA, by="organisation", min_n=1)
    assert list(dict.fromkeys(df["group"])) == [
        "Horten",
        "Holmestrand",
        "Færder",
        "Sykehuset i Vestfold",
    ]
    assert block(df, "trygg", "Horten")["ja"] == (2, 2, 100.0)
    # a group without answers to a question is still listed (base 0 is below min_n)
    assert block(df, "erfaring_ar", "Færder")["n"] == (None, "færre enn 1", None)
    unsuppressed = frequency_table(make_table(SPLIT_ANSWERS), SCHEMA, by="organisation", min_n=0)
    assert block(unsuppressed, "erfaring_ar", "Færder")["n"] == (0, 0, None)
    assert block(unsuppressed, "erfaring_ar", "Færder")["mean"] == (None, 0, None)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (43.0, "43 %"),
        (42.9, "43 %"),
        (76.4705882, "76 %"),  # 39 of 51, as the 2012 report printed it
        (12.5, "13 %"),  # half up, not to even
        (None, "–"),
        (100.0, "100 %"),
        (0.0, "0 %"),
        (33.33, "33 %"),
        (66.66, "67 %"),
        (float("nan"), "–"),
    ],
)
def test_format_percent(value, text):
    assert format_percent(value) == text
    assert "0.43" not in format_percent(value)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["stor", "noen", "liten", "ikke", "vet_ikke"]), min_size=1, max_size=40
    )
)
def test_single_choice_percents_sum_to_about_100(codes):
    table = make_table([(i, "3901", "samarbeid_fastlege", code) for i, code in enumerate(codes)])
    result = block(frequency_table(table, SCHEMA), "samarbeid_fastlege")
    assert sum(c for c, _b, _p in result.values()) == len(codes)
    total = sum(p for _c, _b, p in result.values())
    assert math.isclose(total, 100.0, abs_tol=0.05 * len(result))


def test_a_fact_is_counted_once_per_organisation():
    # Three respondents of Horten say ja, one of Holmestrand nei: two municipalities, 1 of 2.
    table = make_table(
        [
            (1, "3901", "koord_finnes", "ja"),
            (2, "3901", "koord_finnes", "ja"),
            (3, "3901", "koord_finnes", "ja"),
            (4, "3903", "koord_finnes", "nei"),
        ]
    )
    df = frequency_table(table, SCHEMA)
    assert block(df, "koord_finnes") == {
        "ja": (1, 2, 50.0),
        "nei": (1, 2, 50.0),
        "vet_ikke": (0, 2, 0.0),
    }
    assert set(df[df["question"] == "koord_finnes"]["unit"]) == {"organisasjon"}
    assert set(df[df["question"] == "samarbeid_fastlege"]["unit"]) <= {"person"}


def test_a_disputed_fact_is_its_own_category_and_a_leaders_choice_counts():
    table = make_table(
        [
            (1, "3901", "koord_finnes", "ja"),
            (2, "3901", "koord_finnes", "nei"),  # Horten disagrees with itself
            (3, "3903", "koord_finnes", "nei"),
            (4, "3911", "koord_finnes", "ja"),
        ]
    )
    result = block(frequency_table(table, SCHEMA), "koord_finnes")
    assert result["ulike_svar"] == (1, 3, 33.3)
    assert result["ja"] == (1, 3, 33.3)
    rows = frequency_table(table, SCHEMA)
    assert "Ulike svar" in set(rows["option_text"])
    chosen = block(
        frequency_table(table, SCHEMA, choices={("3901", "koord_finnes"): "ja"}), "koord_finnes"
    )
    assert chosen["ja"] == (2, 3, 66.7)
    assert "ulike_svar" not in chosen


def test_a_disputed_number_is_counted_but_not_averaged():
    table = make_table(
        [
            (1, "3901", "stilling_pct", 20),
            (2, "3901", "stilling_pct", 50),  # disputed
            (3, "3903", "stilling_pct", 100),
        ]
    )
    result = block(frequency_table(table, SCHEMA), "stilling_pct")
    assert result["n"] == (1, 2, None)
    assert result["mean"] == (100.0, 2, None)
    assert result["ulike_svar"] == (1, 2, None)


def test_identifiers_and_register_values_are_never_summed_or_averaged():
    table = make_table(
        [
            (1, "3901", "kommunenummer", 3901),
            (2, "3901", "kommunenummer", 3901),
            (3, "3903", "kommunenummer", 3903),
            (1, "3901", "innbyggere", 27939),
            (3, "3903", "innbyggere", 26872),
        ]
    )
    df = frequency_table(table, SCHEMA)
    assert list(df[df["question"] == "kommunenummer"]["option"]) == ["n"]
    assert block(df, "kommunenummer")["n"] == (2, 2, None)  # two municipalities, not three
    assert list(df[df["question"] == "innbyggere"]["option"]) == ["n", "median", "min", "max"]
    question = SCHEMA.question("kommunenummer")
    assert format_statistic(3903, question) == "3903"
    assert format_statistic(3903.0, question) == "3903"
    assert format_statistic(0.76667) == "0,77"


def test_one_rounding_from_the_counts():
    # 39 of 51 as in the 2012 report: 76.47… is kept unrounded and printed once as 76 %.
    answers = [(i, "3901", "trygg", "ja" if i <= 39 else "nei") for i in range(1, 52)]
    row = frequency_table(make_table(answers), SCHEMA)
    ja = row[(row["question"] == "trygg") & (row["option"] == "ja")].iloc[0]
    assert ja["percent"] == pytest.approx(76.4706, abs=1e-4)
    assert format_percent(ja["percent"]) == "76 %"


def test_given_facts_about_free_text_are_not_counted():
    # A survey's facts (as the report gathers them) include free-text ones; an organisation
    # that answered only those has nothing to count and must not break the table.
    from kartlegging.analysis.facts import organisation_facts
    from kartlegging.analysis.frequencies import counted_units

    schema = parse_questionnaire(
        """
nokkel: fritekst
tittel: Fritekst
seksjoner:
  - nokkel: organisering
    tittel: Organisering
    tema: organisering
    sporsmal:
      - {nokkel: notat, tekst: Notat, type: kort_tekst, omfang: organisasjon}
      - {nokkel: finnes, tekst: "Finnes det?", type: ja_nei, omfang: organisasjon}
"""
    )
    table = pd.DataFrame(
        [
            (1, "Leder", "3901", "Horten", "kommune", "stor", "fritekst", "notat",
             "organisering", "organisasjon", "kort_tekst", "Bra", True),
            (2, "Leder", "3903", "Holmestrand", "kommune", "stor", "fritekst", "finnes",
             "organisering", "organisasjon", "ja_nei", "ja", True),
        ],
        columns=COLUMNS,
    )  # fmt: skip
    units = counted_units(table, schema, facts=organisation_facts(table, schema))
    assert [(u["organisation"], u["question"]) for u in units] == [("3903", "finnes")]
