"""Command-line exports and reports, and the round trip import → frequencies."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from kartlegging.organisations.models import Organisation

pytestmark = pytest.mark.django_db

RESPONSES = """organisasjon;rolle;innsendt;respondent_rolle;koord_finnes;koord_stilling_pct;ident_verktoy;samarbeid_fastlege
3901;Kreftkoordinator;2026-01-10;kreftkoordinator;ja;60;spict|annet;I stor grad
3901;Sykepleier;2026-01-11;ressurssykepleier;ja;40;spict;noen
3905;Leder;2026-01-12;annet;nei;;ingen;vet_ikke
3905;Leder;2026-01-12;annet;vet_ikke;;;liten
"""


@pytest.fixture
def imported(survey, horten, tmp_path):
    tonsberg = Organisation.objects.create(
        number="3905", name="Tønsberg", county="Vestfold", population=59174
    )
    survey.organisations.add(tonsberg)
    path = tmp_path / "svar.csv"
    path.write_text(RESPONSES, encoding="utf-8")
    call_command("import-responses", str(path), survey="test", stdout=io.StringIO())
    return survey


def frequencies(tmp_path, *extra) -> list[dict]:
    out = tmp_path / "frekvenser.csv"
    call_command(
        "export", survey="test", format="frequencies", output=out, *extra, stdout=io.StringIO()
    )
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def row(rows, question, option, group="alle"):
    return next(
        r
        for r in rows
        if r["question"] == question and r["option"] == option and r["group"] == group
    )


def test_round_trip_counts_and_percentages(imported, tmp_path):
    rows = frequencies(tmp_path)
    assert list(rows[0]) == [
        "question",
        "question_text",
        "option",
        "option_text",
        "count",
        "base",
        "percent",
        "group",
        "unit",
    ]
    # A fact, once per organisation: Horten agrees on ja; Tønsberg says nei and vet ikke.
    assert row(rows, "koord_finnes", "ja") | {} == {
        "question": "koord_finnes",
        "question_text": "Har kommunen kreftkoordinator?",
        "option": "ja",
        "option_text": "Ja",
        "count": "1",
        "base": "2",
        "percent": "50.0",
        "group": "alle",
        "unit": "organisasjon",
    }
    assert row(rows, "koord_finnes", "ulike_svar")["count"] == "1"
    assert row(rows, "koord_finnes", "vet_ikke")["count"] == "0"
    # An opinion, once per respondent; percentages unrounded beside count and base
    spict = row(rows, "ident_verktoy", "spict")
    assert (spict["count"], spict["base"], spict["unit"]) == ("2", "3", "person")
    assert float(spict["percent"]) == pytest.approx(200 / 3)
    annet = row(rows, "ident_verktoy", "annet")
    assert float(annet["percent"]) == pytest.approx(100 / 3)  # multiple choice: of respondents
    assert row(rows, "samarbeid_fastlege", "stor")["count"] == "1"  # option text accepted
    # Horten's two position sizes differ (60, 40): counted as «Ulike svar», never averaged
    mean = row(rows, "koord_stilling_pct", "mean")
    assert (mean["count"], mean["base"], mean["percent"]) == ("", "1", "")
    assert row(rows, "koord_stilling_pct", "ulike_svar")["count"] == "1"


def test_split_by_organisation_suppresses_small_groups(imported, tmp_path):
    rows = frequencies(tmp_path, "--by", "organisation")
    horten = row(rows, "koord_finnes", "ja", group="Horten")
    assert horten["base"] == "færre enn 3" and horten["count"] == "" and horten["percent"] == ""
    assert row(rows, "koord_finnes", "ja")["count"] == "1"  # "alle" is never suppressed


@pytest.mark.parametrize(
    "fmt, magic", [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("sav", b"$FL2")]
)
def test_export_formats(imported, tmp_path, fmt, magic):
    out = tmp_path / f"svar.{fmt}"
    call_command("export", survey="test", format=fmt, output=out, stdout=io.StringIO())
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!doctype")])
def test_report_formats(imported, tmp_path, fmt, magic):
    out = tmp_path / f"rapport.{fmt}"
    stdout = io.StringIO()
    call_command("report", survey="test", format=fmt, output=out, anonymise=True, stdout=stdout)
    assert out.read_bytes().startswith(magic)
    assert "figurer" in stdout.getvalue()


def test_unknown_survey_is_a_norwegian_error(tmp_path):
    with pytest.raises(CommandError, match="Fant ingen kartlegging med kortnavnet «finnes-ikke»"):
        call_command("export", survey="finnes-ikke", format="csv", output=tmp_path / "x.csv")


def test_xlsx_has_answers_frequencies_and_organisation_facts(imported, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "svar.xlsx"
    call_command("export", survey="test", format="xlsx", output=out, stdout=io.StringIO())
    book = load_workbook(out)
    assert {"Svar", "Frekvenser", "Fakta per organisasjon"} <= set(book.sheetnames)
    facts = [[c.value for c in r] for r in book["Fakta per organisasjon"].iter_rows()]
    horten = next(r for r in facts if r[0] == "Horten" and r[2] == "koord_finnes")
    assert horten[4] == "Ja" and horten[5] == "nei"  # both Horten respondents said ja
    tonsberg = next(r for r in facts if r[0] == "Tønsberg" and r[2] == "koord_finnes")
    assert tonsberg[4] is None and tonsberg[5] == "ja"  # nei against vet ikke: disputed
