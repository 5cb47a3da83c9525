"""The tidy table and the exports a project leader or researcher opens."""

from __future__ import annotations

import csv
import io
import os
import tempfile

import pyreadstat
import pytest
from openpyxl import load_workbook

from kartlegging.analysis.table import build_table
from kartlegging.reports.exports import answers_csv, answers_sav, answers_xlsx, spss_name
from kartlegging.responses.services import save_answers, submit
from tests.reports.conftest import FORMULA, answered

pytestmark = pytest.mark.django_db


def test_table_has_one_row_per_counted_answer(two_answers):
    table = build_table(two_answers)
    assert len(table) == 12
    assert set(table["size_class"]) == {"stor"}  # Horten: 27 939 inhabitants
    assert table.loc[table["question"] == "koord_stilling_pct", "value"].tolist() == [60]


def test_hidden_and_unsubmitted_answers_are_left_out(survey, horten):
    response = answered(
        survey,
        horten,
        "c@h.example",
        {
            "respondent_rolle": ["kreftkoordinator"],
            "koord_finnes": ["ja"],
            "koord_stilling_pct": ["40"],
        },
        finish=False,
    )
    save_answers(response, survey.questionnaire.definition, {"koord_finnes": ["nei"]})
    submit(response, survey.questionnaire.definition)
    table = build_table(survey)
    assert "koord_stilling_pct" not in set(table["question"])  # hidden by koord_finnes = nei
    answered(survey, horten, "d@h.example", {"respondent_rolle": ["annet"]}, finish=False)
    assert len(build_table(survey)) == 2
    assert len(build_table(survey, include_started=True)) == 3


def test_csv_has_labels_and_neutralised_formulas(two_answers):
    data = answers_csv(build_table(two_answers), two_answers.questionnaire.definition)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["respondent_rolle"] == "Kreftkoordinator"
    assert rows[0]["ident_verktoy"] == "SPICT | Annet"
    assert rows[0]["kompetanse_utdyp"] == "'" + FORMULA
    assert rows[0]["enhet_pleiefaktor_dag"] == "0,5"


def test_xlsx_opens_with_answers_and_neutralised_formulas(two_answers):
    book = load_workbook(
        io.BytesIO(answers_xlsx(build_table(two_answers), two_answers.questionnaire.definition))
    )
    sheet = book["Svar"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["koord_stilling_pct"] == 60
    assert first["kompetanse_utdyp"] == "'" + FORMULA
    assert sheet.cell(2, header.index("kompetanse_utdyp") + 1).data_type != "f"
    assert book["Spørsmål"]["B2"].value == "Hvilken rolle har du?"


def test_sav_has_variable_and_value_labels(two_answers):
    data = answers_sav(build_table(two_answers), two_answers.questionnaire.definition)
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.write(handle, data)
    os.close(handle)
    frame, meta = pyreadstat.read_sav(path)
    os.unlink(path)
    assert meta.column_names_to_labels["respondent_rolle"] == "Hvilken rolle har du?"
    assert meta.variable_value_labels["respondent_rolle"] == {
        1.0: "Kreftkoordinator",
        2.0: "Ressurssykepleier",
        3.0: "Annet",
    }
    assert frame["respondent_rolle"].tolist() == [1.0, 3.0]
    assert frame["ident_verktoy_spict"].tolist()[0] == 1.0
    assert frame["koord_stilling_pct"].tolist()[0] == 60.0


def test_spss_names_are_valid():
    assert spss_name("organisering.koord_finnes") == "organisering_koord_finnes"
    assert spss_name("1abc") == "v_1abc"
    assert len(spss_name("x" * 100)) == 64


def test_fhir_export_is_one_valid_questionnaire_response_per_submitted_response(two_answers):
    import json

    from fhir.resources.R4B.bundle import Bundle

    from kartlegging.reports.exporting import export

    data = export(two_answers, "fhir")
    bundle = json.loads(data)
    Bundle.model_validate(bundle)
    responses = [e["resource"] for e in bundle["entry"]]
    assert len(responses) == 2
    assert {r["status"] for r in responses} == {"completed"}
    assert all(r["questionnaire"].endswith("|1") for r in responses)
    # Nothing about the person: no names or addresses in the file.
    text = data.decode()
    for respondent in two_answers.respondents.all():
        assert respondent.name not in text and respondent.email not in text
    answered_items = [
        item for r in responses for group in r["item"] for item in group.get("item", [])
    ]
    assert any(
        i["linkId"] == "koord_stilling_pct" and i["answer"] == [{"valueInteger": 60}]
        for i in answered_items
    )
