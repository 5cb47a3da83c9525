"""A questionnaire through Excel and back: the same questionnaire, and a broken workbook
told row by row in Norwegian with nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kartlegging.questionnaires.document import dump_yaml, to_document
from kartlegging.questionnaires.schema import QuestionnaireError, parse_questionnaire
from kartlegging.questionnaires.spreadsheet import from_xlsx, to_xlsx

ROOT = Path(__file__).parent.parent.parent
DEFAULTS = [
    ROOT / "questionnaires" / "palliasjon-kommune.yaml",
    ROOT / "questionnaires" / "palliasjon-helseforetak.yaml",
]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def parsed(path: Path):
    return parse_questionnaire(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DEFAULTS, ids=lambda p: p.stem)
def test_yaml_to_excel_to_yaml_is_the_same_questionnaire(path):
    original = parsed(path)
    source = from_xlsx(to_xlsx(original))
    assert parse_questionnaire(source) == original
    # …and the YAML written from it is the YAML written from the file.
    assert source == dump_yaml(to_document(original))


def test_the_workbook_has_the_sheets_and_one_row_per_question_and_option():
    questionnaire = parsed(DEFAULTS[0])
    book = load_workbook(io.BytesIO(to_xlsx(questionnaire)))
    assert book.sheetnames == ["skjema", "seksjoner", "spørsmål", "alternativer", "veiledning"]
    questions = list(book["spørsmål"].iter_rows(values_only=True))
    assert questions[0][:4] == ("seksjon", "nokkel", "type", "tekst")
    assert len(questions) - 1 == len(questionnaire.questions)
    row = next(r for r in questions if r[1] == "koord_stillingsstorrelse" or r[1] == "koord_type")
    assert row[11] == "koord_finnes = 'ja'"
    listed = sum(
        len(q.options) - (q.options[-1].code == "vet_ikke")
        for q in questionnaire.questions
        if q.type in ("enkeltvalg", "flervalg")
    )
    assert len(list(book["alternativer"].iter_rows())) - 1 == listed


def edited(path: Path, change) -> bytes:
    book = load_workbook(io.BytesIO(to_xlsx(parsed(path))))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        from_xlsx(data)
    return caught.value.problems


def test_an_edit_in_excel_comes_back_as_a_changed_questionnaire():
    def reword(book):
        book["spørsmål"]["D2"] = "Hvilken rolle har du i kommunen?"
        book["spørsmål"]["F2"] = "nei"

    changed = parse_questionnaire(from_xlsx(edited(MINI, reword)))
    question = changed.question("respondent_rolle")
    assert (question.text, question.required) == ("Hvilken rolle har du i kommunen?", False)


def test_a_missing_sheet_or_column_is_told_first_and_alone():
    def break_it(book):
        del book["alternativer"]
        book["spørsmål"]["C1"] = None
        book["spørsmål"]["C3"] = "tall"

    assert problems(edited(MINI, break_it)) == [
        "Ark «spørsmål», rad 1: mangler kolonnen(e) «type»",
        "Arbeidsboken mangler arket «alternativer» (arkene skal hete «skjema», «seksjoner», "
        "«spørsmål», «alternativer»)",
    ]


def test_every_problem_of_a_broken_workbook_is_told_with_sheet_row_and_column():
    def break_it(book):
        sheet = book["spørsmål"]
        sheet["C3"] = "tall"  # respondent_rolle_annet: unknown type
        sheet["B5"] = "koord_finnes"  # koord_stilling_pct: duplicate key
        sheet["L6"] = "finnes_ikke = 'ja'"  # enhet_pleiefaktor_dag: unknown question
        sheet["F7"] = "kanskje"  # ident_verktoy: obligatorisk neither ja nor nei

    assert problems(edited(MINI, break_it)) == [
        "Ark «spørsmål», rad 7, kolonne «obligatorisk»: skriv ja eller nei, ikke «kanskje»",
        "Ark «spørsmål», rad 3, kolonne «type»: ukjent type 'tall' (gyldige: enkeltvalg, "
        "flervalg, skala4, ja_nei, heltall, desimaltall, prosent, kort_tekst, lang_tekst, dato)",
        "Ark «spørsmål», rad 5, kolonne «nokkel»: nøkkelen 'koord_finnes' er brukt før",
        "Ark «spørsmål», rad 6, kolonne «vis_hvis»: viser til spørsmålet 'finnes_ikke', som "
        "ikke finnes tidligere i skjemaet",
    ]


def test_a_question_in_an_unknown_section_and_an_option_of_an_unknown_question_are_told():
    def break_it(book):
        book["spørsmål"]["A2"] = "ukjent"
        book["alternativer"]["A2"] = "ingen_slik"
        book["seksjoner"]["Z1"] = "farge"

    found = problems(edited(MINI, break_it))
    assert (
        "Ark «seksjoner», rad 1, kolonne «farge»: ukjent kolonne (gyldige: nokkel, tittel, tema, introduksjon, vis_hvis)"
        in found
    )
    assert (
        "Ark «spørsmål», rad 2, kolonne «seksjon»: seksjonen «ukjent» står ikke i arket «seksjoner»"
        in found
    )
    assert (
        "Ark «alternativer», rad 2, kolonne «sporsmal»: spørsmålet «ingen_slik» står ikke i arket «spørsmål»"
        in found
    )


def test_a_file_that_is_not_a_workbook_is_refused_in_words():
    assert problems(b"nokkel: x\n") == [
        "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Lagre den som .xlsx og prøv igjen."
    ]


def test_a_formula_guard_of_the_export_is_taken_off_again():
    text = "- Hvor mange?"
    source = MINI.read_text(encoding="utf-8").replace("Hvilken annen rolle?", f"'{text}'")
    original = parse_questionnaire(source)
    book = load_workbook(io.BytesIO(to_xlsx(original)))
    assert book["spørsmål"]["D3"].value == "'" + text  # no formula in Excel
    assert parse_questionnaire(from_xlsx(to_xlsx(original))) == original
