"""Importing respondents from CSV or Excel: all rows valid, or nothing is created."""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kartlegging.core.csvfiles import CsvError
from kartlegging.core.models import AuditEntry
from kartlegging.organisations.models import Organisation
from kartlegging.surveys.importing import RespondentImportError, import_respondents
from kartlegging.surveys.models import Respondent
from tests.conftest import invite

pytestmark = pytest.mark.django_db

HEADER = "navn,epost,rolle,organisasjon\n"


@pytest.fixture
def tonsberg(survey) -> Organisation:
    organisation = Organisation.objects.create(
        number="3905", name="Tønsberg", kind="kommune", county="Vestfold", population=59174
    )
    survey.organisations.add(organisation)
    return organisation


@pytest.fixture
def oslo(db) -> Organisation:
    """An organisation that is not part of the survey."""
    return Organisation.objects.create(
        number="0301", name="Oslo", kind="kommune", county="Oslo", population=717710
    )


def problems(survey, text: str) -> list[str]:
    before = Respondent.objects.count()
    with pytest.raises(RespondentImportError) as caught:
        import_respondents(survey, text.encode("utf-8"))
    assert Respondent.objects.count() == before
    return caught.value.problems


def run(path) -> str:
    out = StringIO()
    call_command("import-respondents", "--survey", "test", str(path), stdout=out)
    return out.getvalue().strip()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("import-respondents", *args, stdout=StringIO())
    return str(caught.value)


# --------------------------------------------------------------------------- good files


def test_comma_file_matches_organisations_by_number_and_name(survey, horten, tonsberg):
    text = (
        HEADER
        + "Kari Testesen,Kari@Horten.example,Kreftkoordinator,3901\n"
        + "Ola Nordmann,ola@tonsberg.example,,tønsberg\n"
    )
    assert import_respondents(survey, text.encode("utf-8")) == 2
    kari = Respondent.objects.get(email="kari@horten.example")
    assert (kari.name, kari.role, kari.organisation) == (
        "Kari Testesen",
        "Kreftkoordinator",
        horten,
    )
    ola = Respondent.objects.get(email="ola@tonsberg.example")
    assert (ola.role, ola.organisation) == ("", tonsberg)
    assert not kari.tokens.exists()  # links are made when invitations are sent
    entry = AuditEntry.objects.get(action="respondent.imported")
    assert (entry.survey_pk, entry.data) == (survey.pk, {"count": 2})


def test_semicolon_file_with_bom_and_english_header(survey, horten):
    text = "Name;E-mail;Rolle;Organisasjon\nKari Testesen;kari@horten.example;Leder;Horten\n"
    assert import_respondents(survey, b"\xef\xbb\xbf" + text.encode("utf-8")) == 1
    assert Respondent.objects.get().organisation == horten


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_file_is_imported_with_numbers_as_excel_stores_them(survey, horten, tonsberg):
    # An organisation number typed into Excel is a number cell (3901.0), not text.
    data = workbook(
        ("Navn", "E-post", "Rolle", "Organisasjon"),
        ("Kari Testesen", "kari@horten.example", "Kreftkoordinator", 3901),
        (None, None, None, None),
        ("Ola Nordmann", "ola@tonsberg.example", None, "Tønsberg"),
    )
    assert import_respondents(survey, data) == 2
    assert Respondent.objects.get(email="kari@horten.example").organisation == horten
    assert Respondent.objects.get(email="ola@tonsberg.example").organisation == tonsberg


def test_excel_rows_are_reported_by_their_row_number(survey, horten):
    data = workbook(
        ("navn", "epost", "rolle", "organisasjon"),
        ("Kari Testesen", "kari@horten.example", "", 3901),
        ("Ola Nordmann", "ola@", "", 9999),
    )
    assert problems_of(survey, data) == [
        "Rad 3: «ola@» er ikke en gyldig e-postadresse",
        "Rad 3: ukjent organisasjon «9999» (bruk organisasjonsnummer eller navn fra kartleggingen)",
    ]


def test_import_page_takes_an_excel_file(as_, survey, horten):
    page = as_("leder").get("/kartlegginger/test/respondenter/import/").content.decode()
    assert "CSV- eller Excel-fil" in page and 'accept=".csv,.xlsx"' in page
    upload = BytesIO(
        workbook(
            ("navn", "epost", "rolle", "organisasjon"), ("Kari", "kari@horten.example", "", 3901)
        )
    )
    upload.name = "respondenter.xlsx"
    reply = as_("leder").post("/kartlegginger/test/respondenter/import/", {"file": upload})
    assert reply.status_code == 302
    assert survey.respondents.get().organisation == horten


def test_import_page_shows_a_broken_excel_file_and_imports_nothing(as_, survey):
    upload = BytesIO(b"PK\x03\x04not really a zip")
    upload.name = "respondenter.xlsx"
    reply = as_("leder").post("/kartlegginger/test/respondenter/import/", {"file": upload})
    assert reply.status_code == 422
    assert (
        "Filen ser ut som en Excel-fil (.xlsx), men den kan ikke åpnes." in reply.content.decode()
    )
    assert not survey.respondents.exists()


def problems_of(survey, data: bytes) -> list[str]:
    with pytest.raises(RespondentImportError) as caught:
        import_respondents(survey, data)
    assert not Respondent.objects.exists()
    return caught.value.problems


# --------------------------------------------------------------------------- broken files


def test_wrong_columns(survey):
    with pytest.raises(CsvError) as caught:
        import_respondents(survey, b"navn,telefon\nKari,12345678\n")
    assert str(caught.value) == (
        "Filen mangler kolonnen(e) epost, rolle, organisasjon. "
        "Første linje må være: navn,epost,rolle,organisasjon"
    )
    assert not Respondent.objects.exists()


def test_latin1_file(survey):
    data = (HEADER + "Kari Ødegård,kari@horten.example,,3901\n").encode("latin-1")
    with pytest.raises(CsvError) as caught:
        import_respondents(survey, data)
    assert str(caught.value) == (
        "Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen."
    )
    assert not Respondent.objects.exists()


def test_bad_email(survey, horten):
    text = HEADER + "Ola Nordmann,ola@horten.example,,3901\nKari Testesen,kari@,,3901\n"
    assert problems(survey, text) == ["Rad 3: «kari@» er ikke en gyldig e-postadresse"]


def test_unknown_organisation_and_one_outside_the_survey(survey, horten, oslo):
    text = HEADER + "Kari Testesen,kari@oslo.example,,Oslo\nOla Nordmann,ola@x.example,,9999\n"
    assert problems(survey, text) == [
        "Rad 2: ukjent organisasjon «Oslo» (bruk organisasjonsnummer eller navn fra kartleggingen)",
        "Rad 3: ukjent organisasjon «9999» (bruk organisasjonsnummer eller navn fra kartleggingen)",
    ]


def test_duplicate_within_file(survey, horten):
    text = HEADER + "Kari Testesen,kari@horten.example,,3901\nKari T,KARI@horten.example,,3901\n"
    assert problems(survey, text) == ["Rad 3: kari@horten.example står også på rad 2"]


def test_duplicate_of_existing_respondent_even_when_removed(survey, horten):
    invited = invite(survey, horten, email="Kari@Horten.example")
    Respondent.objects.filter(pk=invited.respondent.pk).update(removed_at="2027-01-01T00:00Z")
    text = HEADER + "Kari Testesen,kari@horten.example,,3901\n"
    assert problems(survey, text) == [
        "Rad 2: kari@horten.example er allerede respondent i kartleggingen"
    ]


def test_missing_name_and_every_problem_is_listed(survey, horten):
    text = (
        HEADER
        + "Kari Testesen,kari@horten.example,,3901\n"
        + ",ola@horten.example,,3901\n"
        + "Per,,,\n"
    )
    assert problems(survey, text) == [
        "Rad 3: mangler navn",
        "Rad 4: mangler e-postadresse",
        "Rad 4: mangler organisasjon",
    ]


def test_header_only(survey):
    assert problems(survey, HEADER) == ["Filen har ingen rader med respondenter."]


# --------------------------------------------------------------------------- the command


def test_command_imports_and_reports(survey, horten, tmp_path):
    path = tmp_path / "respondenter.csv"
    path.write_text(
        HEADER + "Kari Testesen,kari@horten.example,,3901\nOla Nordmann,ola@horten.example,,3901\n",
        encoding="utf-8",
    )
    assert run(path) == "Importert 2 respondenter til «Testkartlegging»."
    assert Respondent.objects.count() == 2


def test_command_lists_problems_and_imports_nothing(survey, horten, tmp_path):
    path = tmp_path / "respondenter.csv"
    path.write_text(HEADER + "Kari Testesen,kari@,,3901\n,ola@horten.example,,Oslo\n")
    assert refused("--survey", "test", str(path)) == (
        "Ingenting ble importert. Rett opp dette:\n"
        "  Rad 2: «kari@» er ikke en gyldig e-postadresse\n"
        "  Rad 3: mangler navn\n"
        "  Rad 3: ukjent organisasjon «Oslo» (bruk organisasjonsnummer eller navn fra kartleggingen)"
    )
    assert not Respondent.objects.exists()


def test_command_file_problem(survey, tmp_path):
    path = tmp_path / "respondenter.csv"
    path.write_bytes(b"")
    assert refused("--survey", "test", str(path)) == (
        "Ingenting ble importert. Rett opp dette:\n  Filen er tom."
    )


def test_command_unknown_survey_and_missing_file(survey, tmp_path):
    assert refused("--survey", "finnes-ikke", str(tmp_path / "x.csv")) == (
        "Fant ingen kartlegging med kortnavnet «finnes-ikke»."
    )
    missing = tmp_path / "x.csv"
    assert refused("--survey", "test", str(missing)) == f"Fant ikke filen {missing}."


def test_control_character_is_refused_with_its_line_and_nothing_is_imported(survey):
    data = (
        HEADER + "Kari,kari@horten.example,Leder,3901\nOla\x00,ola@horten.example,,3901\n"
    ).encode()
    with pytest.raises(CsvError) as refused:
        import_respondents(survey, data)
    assert refused.value.problems == [
        "Linje 3 inneholder et usynlig kontrolltegn (kode 0) som ikke kan lagres. "
        "Fjern det, lagre filen som «CSV UTF-8» og prøv igjen."
    ]
    assert not Respondent.objects.exists()
