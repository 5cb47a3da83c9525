"""The questionnaire loader: a valid file becomes sections and questions; every
problem in a broken file is reported with where it is, in Norwegian."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kartlegging.questionnaires.schema import Condition, QuestionnaireError, parse_questionnaire

MINI = Path(__file__).parent.parent / "fixtures" / "mini.yaml"

HEAD = """\
nokkel: test
tittel: Test
seksjoner:
  - nokkel: organisering
    tittel: Organisering
    tema: organisering
    sporsmal:
"""


def with_questions(*questions: str) -> str:
    """A one-section questionnaire; each question is a YAML flow mapping."""
    return HEAD + "".join(f"      - {q}\n" for q in questions)


def problems(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(textwrap.dedent(text))
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


@pytest.fixture(scope="module")
def mini():
    return parse_questionnaire(MINI.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- valid files


def test_mini_file_gives_sections_and_questions_in_order(mini):
    assert (mini.key, mini.title, mini.minutes) == ("mini", "Lite testskjema", 5)
    assert [s.key for s in mini.sections] == ["bakgrunn", "organisering", "kompetanse"]
    assert [q.key for q in mini.sections[1].questions] == [
        "koord_finnes",
        "koord_stilling_pct",
        "enhet_pleiefaktor_dag",
        "ident_verktoy",
    ]
    assert len(mini.questions) == 9
    assert mini.section_of("fagdag_dato").title == "Kompetanse"


def test_question_fields_are_read(mini):
    question = mini.question("koord_stilling_pct")
    assert (question.type, question.scope, question.unit) == (
        "heltall",
        "organisasjon",
        "% stilling",
    )
    assert (question.min, question.max) == (0, 1000)
    assert question.condition == Condition(question="koord_finnes", operator="er", value="ja")
    assert mini.question("respondent_rolle").required
    assert mini.question("kompetanse_utdyp").scope == "person"


def test_skala4_gets_the_four_fixed_options_and_vet_ikke(mini):
    options = mini.question("samarbeid_fastlege").options
    assert [(o.code, o.text) for o in options] == [
        ("stor", "I stor grad"),
        ("noen", "I noen grad"),
        ("liten", "I liten grad"),
        ("ikke", "Ikke i det hele tatt"),
        ("vet_ikke", "Vet ikke"),
    ]


def test_ja_nei_gets_ja_and_nei_and_vet_ikke_only_when_asked(mini):
    assert [o.code for o in mini.question("koord_finnes").options] == ["ja", "nei", "vet_ikke"]
    plain = parse_questionnaire(with_questions("{nokkel: a, tekst: A, type: ja_nei}"))
    assert [(o.code, o.text) for o in plain.question("a").options] == [("ja", "Ja"), ("nei", "Nei")]


def test_exclusive_options_in_multiple_choice(mini):
    options = {o.code: o.exclusive for o in mini.question("ident_verktoy").options}
    assert options == {"spict": False, "annet": False, "ingen": True}
    parsed = parse_questionnaire(
        with_questions(
            "{nokkel: a, tekst: A, type: flervalg, vet_ikke: true, "
            "alternativer: [{kode: x, tekst: X}, {kode: y, tekst: Y}]}"
        )
    )
    assert parsed.question("a").options[-1].exclusive  # «Vet ikke» cannot be ticked with others


def test_prosent_defaults_to_0_to_100():
    parsed = parse_questionnaire(with_questions("{nokkel: a, tekst: A, type: prosent}"))
    assert (parsed.question("a").min, parsed.question("a").max) == (0, 100)


# --------------------------------------------------------------------------- errors


def test_unknown_type_is_reported_with_its_path():
    found = problems(
        with_questions(
            "{nokkel: koord_stilling_pct, tekst: Hvor stor er ressursen, type: prosent2}"
        )
    )
    assert len(found) == 1
    assert found[0].startswith(
        "seksjon organisering → spørsmål koord_stilling_pct: ukjent type 'prosent2' (gyldige: "
    )
    assert "heltall" in found[0] and "dato" in found[0]


def test_missing_text():
    assert problems(with_questions("{nokkel: a, type: ja_nei}")) == [
        "seksjon organisering → spørsmål a: mangler 'tekst'"
    ]


def test_question_without_key_is_named_by_its_number():
    assert problems(
        with_questions("{nokkel: a, tekst: A, type: ja_nei}", "{tekst: B, type: ja_nei}")
    ) == ["seksjon organisering → spørsmål nr. 2: mangler 'nokkel'"]


def test_duplicate_question_key_even_in_another_section():
    assert problems("""
        nokkel: test
        tittel: Test
        seksjoner:
          - nokkel: en
            tittel: En
            tema: bakgrunn
            sporsmal: [{nokkel: a, tekst: A, type: ja_nei}]
          - nokkel: to
            tittel: To
            tema: kompetanse
            sporsmal: [{nokkel: a, tekst: A igjen, type: kort_tekst}]
        """) == ["seksjon to → spørsmål a: nøkkelen 'a' er brukt før"]


def test_unknown_theme():
    found = problems(
        HEAD.replace("tema: organisering", "tema: okonomi")
        + "      - {nokkel: a, tekst: A, type: ja_nei}\n"
    )
    assert len(found) == 1
    assert found[0].startswith("seksjon organisering: ukjent tema 'okonomi' (gyldige: bakgrunn, ")


@pytest.mark.parametrize("options", ["", ", alternativer: [{kode: en, tekst: En}]"])
def test_choice_question_needs_at_least_two_options(options):
    assert problems(with_questions(f"{{nokkel: a, tekst: A, type: enkeltvalg{options}}}")) == [
        "seksjon organisering → spørsmål a: mangler 'alternativer' (minst to)"
    ]


def test_duplicate_option_code():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: enkeltvalg, "
            "alternativer: [{kode: en, tekst: En}, {kode: en, tekst: To}]}"
        )
    ) == ["seksjon organisering → spørsmål a → alternativ nr. 2: koden 'en' er brukt før"]


def test_fixed_scale_cannot_have_own_options():
    assert problems(
        with_questions("{nokkel: a, tekst: A, type: skala4, alternativer: [{kode: x, tekst: X}]}")
    ) == [
        "seksjon organisering → spørsmål a: type skala4 har faste alternativer; fjern 'alternativer'"
    ]


def test_boolean_option_code_is_reported():
    # `kode: no` without quotes is read by YAML as false.
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: enkeltvalg, "
            "alternativer: [{kode: 'yes', tekst: Ja}, {kode: no, tekst: Nei}]}"
        )
    ) == [
        "seksjon organisering → spørsmål a → alternativ nr. 2: "
        "mangler 'kode' (skriv koden i anførselstegn om den er ja/nei)"
    ]


def test_condition_on_unknown_question():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: kort_tekst, vis_hvis: {sporsmal: finnes_ikke, er: 'ja'}}"
        )
    ) == [
        "seksjon organisering → spørsmål a → vis_hvis: viser til spørsmålet 'finnes_ikke', "
        "som ikke finnes tidligere i skjemaet"
    ]


def test_condition_on_later_question():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: kort_tekst, vis_hvis: {sporsmal: b, er: 'ja'}}",
            "{nokkel: b, tekst: B, type: ja_nei}",
        )
    ) == [
        "seksjon organisering → spørsmål a → vis_hvis: viser til spørsmålet 'b', "
        "som ikke finnes tidligere i skjemaet"
    ]


def test_condition_value_must_be_an_option_code():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: ja_nei}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {sporsmal: a, er: [ja, kanskje]}}",
        )
    ) == ["seksjon organisering → spørsmål b → vis_hvis: 'kanskje' er ikke et alternativ i 'a'"]


def test_boolean_condition_value_is_reported():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: ja_nei}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {sporsmal: a, er: no}}",
        )
    ) == [
        "seksjon organisering → spørsmål b → vis_hvis: "
        "skriv koden i anførselstegn (YAML leser ja/nei som sann/usann)"
    ]


def test_inneholder_only_on_multiple_choice():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: ja_nei}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {sporsmal: a, inneholder: 'ja'}}",
        )
    ) == ["seksjon organisering → spørsmål b → vis_hvis: 'inneholder' gjelder flervalg; bruk 'er'"]


def test_storre_enn_only_on_numbers():
    assert problems(
        with_questions(
            "{nokkel: a, tekst: A, type: kort_tekst}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {sporsmal: a, storre_enn: 0}}",
        )
    ) == [
        "seksjon organisering → spørsmål b → vis_hvis: 'storre_enn' kan bare brukes mot talltyper"
    ]


def test_condition_needs_exactly_one_operator():
    found = problems(
        with_questions(
            "{nokkel: a, tekst: A, type: heltall}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {sporsmal: a, storre_enn: 0, mindre_enn: 9}}",
        )
    )
    assert len(found) == 1
    assert found[0].startswith(
        "seksjon organisering → spørsmål b → vis_hvis: må ha nøyaktig én av er, "
    )


def test_min_greater_than_max():
    assert problems(with_questions("{nokkel: a, tekst: A, type: heltall, min: 10, maks: 5}")) == [
        "seksjon organisering → spørsmål a: 'min' er større enn 'maks'"
    ]


def test_infinite_max_is_reported_not_a_crash():
    assert problems(with_questions("{nokkel: a, tekst: A, type: heltall, maks: .inf}")) == [
        "seksjon organisering → spørsmål a: 'maks' må være et tall"
    ]


def test_unknown_field_names_are_reported_where_they_are():
    found = problems(
        with_questions("{nokkel: a, tekst: A, type: ja_nei, obligatorsk: true}")
        + "titel: Skrivefeil\n"
    )
    assert found == [
        "ukjent felt 'titel' (gyldige: nokkel, tittel, beskrivelse, malgruppe, "
        "estimert_tid_minutter, seksjoner)",
        "seksjon organisering → spørsmål a: ukjent felt 'obligatorsk' (gyldige: nokkel, tekst, "
        "hjelpetekst, type, obligatorisk, omfang, alternativer, vet_ikke, enhet, min, maks, "
        "vis_hvis)",
    ]


def test_yaml_syntax_error_gives_the_line():
    found = problems("""\
        nokkel: test
        tittel: Test
        seksjoner: [
          - nokkel: a
        """)
    assert len(found) == 1
    assert found[0].startswith("Filen er ikke gyldig YAML (linje 4): ")


def test_empty_file():
    assert problems("") == ["Filen må inneholde et spørreskjema (en YAML-ordbok)."]


def test_all_problems_are_reported_not_just_the_first():
    found = problems("""
        nokkel: test
        tittel: Test
        seksjoner:
          - nokkel: en
            tittel: En
            tema: okonomi
            sporsmal:
              - {nokkel: a, tekst: A, type: prosent2}
              - {nokkel: b, type: heltall, min: 9, maks: 1}
          - nokkel: to
            tema: kompetanse
            sporsmal:
              - {nokkel: a, tekst: A, type: enkeltvalg}
        """)
    assert found[0].startswith("seksjon en: ukjent tema 'okonomi'")
    assert found[1].startswith("seksjon en → spørsmål a: ukjent type 'prosent2'")
    assert found[2:] == [
        "seksjon en → spørsmål b: mangler 'tekst'",
        "seksjon en → spørsmål b: 'min' er større enn 'maks'",
        "seksjon to: mangler 'tittel'",
        "seksjon to → spørsmål a: nøkkelen 'a' er brukt før",
        "seksjon to → spørsmål a: mangler 'alternativer' (minst to)",
    ]


def test_deeply_nested_yaml_is_refused_with_a_message():
    from kartlegging.questionnaires.schema import QuestionnaireError, parse_questionnaire

    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire("a: " + "[" * 5000 + "]" * 5000)
    assert refused.value.problems == ["Filen er nestet for dypt til å være et spørreskjema."]


def test_problems_in_nested_conditions_name_the_part():
    found = problems(
        with_questions(
            "{nokkel: a, tekst: A, type: ja_nei}",
            "{nokkel: b, tekst: B, type: kort_tekst, vis_hvis: {en_av: [{sporsmal: a, er: 'ja'},"
            " {alle: [{sporsmal: a, er: 'ja', farge: rod}]}]}}",
        )
    )
    assert found == [
        "seksjon organisering → spørsmål b → vis_hvis → en_av[2] → alle[1]: ukjent felt 'farge' "
        "(gyldige: sporsmal, er, ikke_er, inneholder, storre_enn, mindre_enn, er_besvart)"
    ]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("{nokkel: a, tekst: 5, type: ja_nei}", "'tekst' må være tekst"),
        ("{nokkel: a, tekst: A, type: ja_nei, hjelpetekst: [x]}", "'hjelpetekst' må være tekst"),
        ("{nokkel: a, tekst: A, type: ja_nei, omfang: null}", "ukjent omfang 'None'"),
        ("{nokkel: a, tekst: A, type: 5}", "ukjent type '5' (gyldige: enkeltvalg, "),
        ("{nokkel: a, tekst: A, type: heltall, min: true}", "'min' må være et tall"),
        ("{nokkel: a, tekst: A, type: enkeltvalg, alternativer: ja}", "'alternativer' må være"),
        (
            "{nokkel: a, tekst: A, type: enkeltvalg, alternativer: [{kode: [x], tekst: X}, "
            "{kode: y, tekst: Y}]}",
            "alternativ nr. 1: 'kode' må være tekst",
        ),
        ("{nokkel: a, tekst: A, type: ja_nei, vis_hvis: {er: 'ja'}}", "mangler 'sporsmal'"),
        ("{nokkel: a, tekst: A, type: ja_nei, vis_hvis: {sporsmal: a, er: {x: 1}}}", "'er' må"),
    ],
)
def test_type_problems_are_in_norwegian_never_in_pydantic_english(question, message):
    found = problems(with_questions(question))
    assert len(found) == 1 and message in found[0], found
    for english in ("Input should", "Field required", "Extra inputs", "validation error"):
        assert english not in found[0]


def test_numbers_keep_their_kind_and_a_numeric_code_becomes_text():
    parsed = parse_questionnaire(
        with_questions(
            "{nokkel: a, tekst: A, type: desimaltall, min: 0, maks: 2.5}",
            "{nokkel: b, tekst: B, type: enkeltvalg, alternativer: [{kode: 1, tekst: En},"
            " {kode: 2, tekst: To}]}",
        )
    )
    assert isinstance(parsed.question("a").min, int) and parsed.question("a").max == 2.5
    assert [o.code for o in parsed.question("b").options] == ["1", "2"]
