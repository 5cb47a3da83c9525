"""Spreadsheet exports: no cell can run as a formula, and Excel opens them right."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from kartlegging.core.spreadsheets import csv_bytes, neutralise, xlsx_bytes

HYPERLINK = '=HYPERLINK("http://example.invalid","x")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+47 123", "'+47 123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Kari Testesen", "Kari Testesen"),
        ("Blåbær og ørret", "Blåbær og ørret"),
        (-3, -3),
        (2.5, 2.5),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_utf8_with_bom_semicolons_and_no_formulas():
    data = csv_bytes(
        ["navn", "svar", "antall"],
        [["Tønsberg", HYPERLINK, -3], ["Færder", "@SUM(A1)", None]],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(data) == [
        ["navn", "svar", "antall"],
        ["Tønsberg", "'" + HYPERLINK, "-3"],
        ["Færder", "'@SUM(A1)", ""],
    ]


def test_csv_writes_decimal_comma_and_oslo_time():
    at = dt.datetime(2027, 1, 15, 12, 30, tzinfo=dt.UTC)
    data = csv_bytes(["tall", "tid"], [[2.5, at]])
    assert read_csv(data)[1] == ["2,5", "2027-01-15 13:30"]


def test_xlsx_has_text_not_formulas_and_keeps_numbers_and_times():
    at = dt.datetime(2027, 7, 1, 8, 0, tzinfo=dt.UTC)
    data = xlsx_bytes(
        {
            "Svar": (
                ["navn", "svar", "antall", "tid"],
                [
                    ["Tønsberg", HYPERLINK, -3, at],
                    ["Færder", "\t=1", None, None],
                    ["Horten", "-1+1", 7, None],
                ],
            )
        }
    )
    sheet = load_workbook(io.BytesIO(data))["Svar"]
    assert [c.value for c in sheet[1]] == ["navn", "svar", "antall", "tid"]
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    formula = sheet["B2"]
    assert formula.value == "'" + HYPERLINK
    assert formula.data_type != "f"
    assert sheet["B3"].value == "'\t=1"
    assert sheet["B4"].value == "'-1+1"
    assert sheet["A2"].value == "Tønsberg"
    assert sheet["C2"].value == -3
    assert sheet["C2"].data_type == "n"
    assert sheet["C3"].value is None
    assert sheet["D2"].value == dt.datetime(2027, 7, 1, 10, 0)
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width


def test_xlsx_several_sheets_in_order():
    data = xlsx_bytes({"Respondenter": (["navn"], [["Kari"]]), "Svar": (["nr"], [[1]])})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Respondenter", "Svar"]
    assert workbook["Svar"]["A2"].value == 1


def test_xlsx_control_characters_are_dropped_before_neutralising():
    data = xlsx_bytes({"Svar": (["svar"], [["\x00=1"]])})
    assert load_workbook(io.BytesIO(data))["Svar"]["A2"].value == "'=1"


def test_local_time_is_oslo():
    at = dt.datetime(2027, 1, 15, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    data = xlsx_bytes({"Tid": (["tid"], [[at]])})
    assert load_workbook(io.BytesIO(data))["Tid"]["A2"].value == dt.datetime(2027, 1, 15, 12, 0)
