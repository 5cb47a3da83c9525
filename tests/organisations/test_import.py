"""Importing organisations from CSV or Excel: all rows valid, or nothing changes."""

from __future__ import annotations

import csv
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kartlegging.core.csvfiles import CsvError
from kartlegging.organisations.importing import OrganisationImportError, import_organisations
from kartlegging.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parent.parent.parent
VESTFOLD = ROOT / "data" / "organisasjoner-vestfold.csv"
# CI clones the repository with shared/ beside it, as on a developer machine.
KOMMUNER = ROOT.parent / "shared" / "data" / "kommuner.csv"
HEADER = "nummer,navn,type,innbyggere,fylke\n"


def run(*args) -> str:
    out = StringIO()
    call_command("import-organisations", *args, stdout=out)
    return out.getvalue().strip()


def import_problems(text: str) -> list[str]:
    with pytest.raises(OrganisationImportError) as caught:
        import_organisations(text.encode("utf-8"))
    return caught.value.problems


def test_shipped_vestfold_file_imports_seven_organisations():
    assert run(str(VESTFOLD)) == "Importert: 7 nye, 0 oppdatert."
    tonsberg = Organisation.objects.get(number="3905")
    assert (tonsberg.name, tonsberg.population, tonsberg.population_year) == (
        "Tønsberg",
        59174,
        2024,
    )
    hospital = Organisation.objects.get(number="HF-SIV")
    assert (hospital.name, hospital.kind, hospital.population) == (
        "Sykehuset i Vestfold",
        "helseforetak",
        None,
    )
    assert Organisation.objects.count() == 7


def test_population_year_from_option():
    run(str(VESTFOLD), "--aar", "2025")
    assert Organisation.objects.get(number="3901").population_year == 2025


def test_reimport_updates_instead_of_duplicating(tmp_path):
    run(str(VESTFOLD))
    changed = tmp_path / "vestfold.csv"
    changed.write_text(
        VESTFOLD.read_text(encoding="utf-8").replace("59174", "59500"), encoding="utf-8"
    )
    assert run(str(changed)) == "Importert: 0 nye, 7 oppdatert."
    assert Organisation.objects.count() == 7
    assert Organisation.objects.get(number="3905").population == 59500


def test_semicolons_and_spaces_in_numbers():
    result = import_organisations(
        "nummer;navn;type;innbyggere;fylke\n3905;Tønsberg;kommune;59 174;Vestfold\n".encode()
    )
    assert (result.created, result.updated) == (1, 0)
    assert Organisation.objects.get(number="3905").population == 59174


def test_utf8_with_bom_from_excel():
    import_organisations(
        b"\xef\xbb\xbf" + (HEADER + "3911,Færder,kommune,27501,Vestfold\n").encode()
    )
    assert Organisation.objects.get(number="3911").name == "Færder"


def test_column_order_and_case_do_not_matter():
    import_organisations(b"Navn,Fylke,Nummer,Innbyggere,Type\nHorten,Vestfold,3901,27939,Kommune\n")
    assert Organisation.objects.get(number="3901").kind == "kommune"


def test_latin1_file_is_refused_in_norwegian(tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "3905,Tønsberg,kommune,59174,Vestfold\n").encode("latin-1"))
    with pytest.raises(CommandError) as caught:
        run(str(latin1))
    assert str(caught.value) == (
        "Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen."
    )
    assert not Organisation.objects.exists()


def test_wrong_columns():
    with pytest.raises(CsvError) as caught:
        import_organisations(b"nummer,navn,innbyggere\n3901,Horten,27939\n")
    assert str(caught.value) == (
        "Filen mangler kolonnen(e) type, fylke. "
        "Første linje må være: nummer,navn,type,innbyggere,fylke"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Filen er tom."),
        ("\n \n", "Filen er tom."),
    ],
)
def test_empty_file(text, message):
    with pytest.raises(CsvError, match=f"^{message}$"):
        import_organisations(text.encode())


def test_header_only_file():
    assert import_problems(HEADER) == ["Filen har ingen rader med organisasjoner."]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("301,Oslo,kommune,717710,Oslo", "Rad 3: kommunenummer må ha fire sifre, fikk «301»"),
        (
            "3905,Tønsberg,fylke,59174,Vestfold",
            "Rad 3: ukjent type «fylke» (bruk kommune, helseforetak eller annet)",
        ),
        (
            "3905,Tønsberg,kommune,ca. 59000,Vestfold",
            "Rad 3: innbyggere må være et heltall, fikk «ca. 59000»",
        ),
        ("3905,Tønsberg,kommune,,Vestfold", "Rad 3: mangler innbyggertall for kommunen"),
        ("3901,Horten igjen,kommune,27940,Vestfold", "Rad 3: nummer 3901 står også på rad 2"),
        ("3905,,kommune,59174,Vestfold", "Rad 3: mangler navn"),
        (",Tønsberg,kommune,59174,Vestfold", "Rad 3: mangler nummer"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_imported(horten, row, problem):
    text = HEADER + "3901,Horten,kommune,99999,Vestfold\n" + row + "\n"
    assert import_problems(text) == [problem]
    assert Organisation.objects.count() == 1
    horten.refresh_from_db()
    assert horten.population == 27939


def test_command_lists_every_bad_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "301,Oslo,kommune,717710,Oslo\n"
        "3905,Tønsberg,kommune,59174,Vestfold\n"
        "3907,Sandefjord,by,66231,Vestfold\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        run(str(bad))
    assert str(caught.value) == (
        "Ingenting ble importert. Rett opp dette:\n"
        "  Rad 2: kommunenummer må ha fire sifre, fikk «301»\n"
        "  Rad 4: ukjent type «by» (bruk kommune, helseforetak eller annet)"
    )
    assert not Organisation.objects.exists()


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="^Fant ikke filen .*mangler.csv.$"):
        run(str(tmp_path / "mangler.csv"))


def test_hospital_and_other_need_no_four_digit_number_or_population():
    import_organisations(
        (
            HEADER + "HF-SIV,Sykehuset i Vestfold,Helseforetak,,Vestfold\n"
            "USHT-VF,USHT Vestfold,annet,,Vestfold\n"
        ).encode()
    )
    assert sorted(Organisation.objects.values_list("kind", flat=True)) == ["annet", "helseforetak"]


def test_national_municipality_list_imports_all_357():
    # No skip: CI and developers always have shared/ beside the clone, and the data is not to be
    # copied into the project (shared/data/README.md). A missing file must fail, not pass quietly.
    assert KOMMUNER.exists(), f"{KOMMUNER} is missing: clone the project with shared/ beside it"
    result = import_organisations(KOMMUNER.read_bytes(), year=2024)
    assert (result.created, result.updated) == (357, 0)
    oslo = Organisation.objects.get(number="0301")
    assert (oslo.name, oslo.kind, oslo.population, oslo.county) == (
        "Oslo",
        "kommune",
        717710,
        "Oslo",
    )
    assert not Organisation.objects.exclude(kind="kommune").exists()


# --------------------------------------------------------------------------- Excel (.xlsx)


def workbook(*rows, extra_sheet=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        other = book.create_sheet("Ark2")
        for row in extra_sheet:
            other.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_national_list_as_excel_imports_all_357_with_oslo_keeping_its_zero():
    # Excel stores numbers as floats (3901.0) and keeps a leading zero only in a text cell.
    with KOMMUNER.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    data = workbook(
        ("kommunenummer", "navn", "fylke", "innbyggere"),
        *(
            (
                r["kommunenummer"]
                if r["kommunenummer"].startswith("0")
                else float(r["kommunenummer"]),
                r["navn"],
                r["fylke"],
                float(r["innbyggere"]),
            )
            for r in rows
        ),
    )
    result = import_organisations(data, year=2024)
    assert (result.created, result.updated) == (357, 0)
    oslo = Organisation.objects.get(number="0301")
    assert (oslo.name, oslo.population, oslo.population_year) == ("Oslo", 717710, 2024)
    assert Organisation.objects.get(number="3901").population == 27939


def test_excel_uses_the_first_sheet_and_reports_rows_by_their_number():
    data = workbook(
        ("nummer", "navn", "type", "innbyggere", "fylke"),
        (3901, "Horten", "kommune", 27939, "Vestfold"),
        (None, None, None, None, None),
        (301, "Oslo", "kommune", 717710, "Oslo"),
        (3905, "Tønsberg", "fylke", 59174, "Vestfold"),
        extra_sheet=[("nummer",), ("9999",)],
    )
    assert import_problems_of(data) == [
        "Rad 4: kommunenummer må ha fire sifre, fikk «301» (Excel fjerner nullen foran et tall; "
        "skriv nummeret som tekst, «0301»)",
        "Rad 5: ukjent type «fylke» (bruk kommune, helseforetak eller annet)",
    ]
    assert not Organisation.objects.exists()


def test_excel_with_hospitals_and_the_command(tmp_path):
    path = tmp_path / "registeret.xlsx"
    path.write_bytes(
        workbook(
            ("Nummer", "Navn", "Type", "Innbyggere", "Fylke"),
            ("3901", "Horten", "kommune", 27939, "Vestfold"),
            ("HF-SIV", "Sykehuset i Vestfold", "helseforetak", None, "Vestfold"),
        )
    )
    assert run(str(path), "--aar", "2024") == "Importert: 2 nye, 0 oppdatert."
    assert Organisation.objects.get(number="HF-SIV").kind == "helseforetak"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"PK\x03\x04not really a zip",
            "Filen ser ut som en Excel-fil (.xlsx), men den kan ikke åpnes. Lagre den på nytt i "
            "Excel som «Excel-arbeidsbok (.xlsx)» eller som «CSV UTF-8», og prøv igjen.",
            id="broken",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "Filen er en eldre Excel-fil (.xls), som ikke kan leses. Lagre den i Excel som "
            "«Excel-arbeidsbok (.xlsx)» eller som «CSV UTF-8», og prøv igjen.",
            id="xls",
        ),
        pytest.param(
            workbook(),
            "Filen er tom.",
            id="empty-sheet",
        ),
        pytest.param(
            workbook(("07459: Befolkning, etter region, statistikkvariabel og år",), ("region",)),
            "Dette ser ut som en Excel-fil fra Statistikkbanken. Last ned tabellen som CSV eller "
            "JSON-stat2 i stedet, og importer den filen.",
            id="statistikkbanken-excel",
        ),
        pytest.param(
            workbook(("nummer", "navn"), ("3901", "Horten")),
            "Filen mangler kolonnen(e) type, innbyggere, fylke. "
            "Første linje må være: nummer,navn,type,innbyggere,fylke",
            id="missing-columns",
        ),
    ],
)
def test_bad_excel_file_is_refused_in_norwegian(horten, data, message):
    with pytest.raises(CsvError) as caught:
        import_organisations(data)
    assert str(caught.value) == message
    assert list(Organisation.objects.values_list("number", flat=True)) == ["3901"]


def test_excel_zip_bomb_is_refused_without_unpacking_it():
    packed = BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    with pytest.raises(CsvError, match="^Excel-filen pakker seg ut til mer enn 20 MB"):
        import_organisations(packed.getvalue())


def test_control_character_in_an_excel_cell_is_refused_with_its_row():
    # XML keeps most control characters out of a workbook, but not DEL.
    data = workbook(
        ("nummer", "navn", "type", "innbyggere", "fylke"), ("3901", "Hor\x7ften", "kommune", 1, "V")
    )
    with pytest.raises(CsvError) as caught:
        import_organisations(data)
    assert str(caught.value) == (
        "Rad 2, kolonne 2 inneholder et usynlig kontrolltegn (kode 127) som ikke kan lagres. "
        "Fjern det og prøv igjen."
    )


def import_problems_of(data: bytes) -> list[str]:
    with pytest.raises(OrganisationImportError) as caught:
        import_organisations(data)
    return caught.value.problems
