"""A fact sheet per municipality: key indicators beside the county and the same size,
its own figure, strengths, deviations with what to do, collaboration opportunities."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from pypdf import PdfReader

from kartlegging.reports.factsheet import factsheets, factsheets_zip
from kartlegging.reports.inputs import gather
from kartlegging.reports.render import to_docx, to_pdf


def sheet_for(survey, number, **kwargs):
    (sheet,) = factsheets(gather(survey), only=number, **kwargs)
    return sheet


def test_one_sheet_per_municipality_with_its_own_figure(vestfold):
    sheets = factsheets(gather(vestfold))
    assert [s.organisation.number for s in sheets] == ["3903", "3907", "3909"]
    captions = [s.report.figures[0].caption for s in sheets if s.report.figures]
    assert len(set(captions)) == len(captions)  # each names its own municipality
    holmestrand = sheet_for(vestfold, "3903")
    assert holmestrand.report.title == "Faktaark: Holmestrand"
    figure = holmestrand.report.figures[0]
    assert "Holmestrand" in figure.caption
    assert figure.png.startswith(b"\x89PNG")


def test_indicators_beside_the_county_counted_once_per_municipality(vestfold):
    sheet = sheet_for(vestfold, "3903")
    table = next(b.table for b in sheet.report.sections[0].blocks if b.table)
    row = next(r for r in table.rows if r[0] == "Kreftkoordinator")
    # Holmestrand has two respondents who both say ja; the county: Holmestrand and Larvik
    # answered (Sandefjord did not), both ja → 2 of 2, not 3 of 3 respondents.
    assert row[1] == "Ja"
    assert row[2] == "2 av 2 (100 %)"
    assert table.header[2] == "Vestfold"


def test_deviations_with_what_to_do_and_strengths(vestfold):
    sheet = sheet_for(vestfold, "3903")
    titles = [s.title for s in sheet.report.sections]
    assert "Styrker" in titles and "Avvik og anbefalinger" in titles
    deviations = next(s for s in sheet.report.sections if s.title == "Avvik og anbefalinger")
    tables = [b.table for b in deviations.blocks if b.table]
    assert tables, "Holmestrand uses no identification tool: at least one deviation"
    assert [row[0] for row in tables[0].rows] == ["Utfordring", "Slik gjør vi det"]


def test_a_municipality_without_answers_says_so(vestfold):
    sheet = sheet_for(vestfold, "3907")
    text = " ".join(b.text for s in sheet.report.sections for b in s.blocks)
    assert "Kommunen har ikke sendt inn svar ennå." in text


def test_anonymised_sheets_never_name_the_municipality(vestfold):
    sheet = sheet_for(vestfold, "3903", anonymise=True)
    text = " ".join(
        [sheet.report.title]
        + [b.text for s in sheet.report.sections for b in s.blocks]
        + [" ".join(map(str, r)) for s in sheet.report.sections for b in s.blocks if b.table
           for r in [b.table.header, *b.table.rows]]
    )  # fmt: skip
    assert "Holmestrand" not in text
    assert "kommune 1" in sheet.report.title


def test_pdf_and_word_of_a_sheet_and_all_as_zip(vestfold):
    sheets = factsheets(gather(vestfold))
    pdf = PdfReader(io.BytesIO(to_pdf(sheets[0].report)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Faktaark: Holmestrand" in text and "Nøkkeltall" in text
    assert len(pdf.pages) <= 2
    word = Document(io.BytesIO(to_docx(sheets[0].report)))
    assert any("Nøkkeltall" in p.text for p in word.paragraphs)
    archive = zipfile.ZipFile(io.BytesIO(factsheets_zip(sheets, {"pdf": to_pdf})))
    assert sorted(archive.namelist()) == [
        "faktaark-3903-holmestrand.pdf",
        "faktaark-3907-sandefjord.pdf",
        "faktaark-3909-larvik.pdf",
    ]


def test_the_leader_orders_one_sheet_and_all_sheets_from_the_results_page(
    client, django_user_model, vestfold
):
    from kartlegging.reports.models import ReportFile
    from tests.conftest import make_people

    people = make_people(django_user_model, vestfold)
    client.force_login(people["leder"])
    url = "/kartlegginger/vestfold/resultater/rapport/"
    page = client.get("/kartlegginger/vestfold/resultater/").content.decode()
    assert "Faktaark per kommune" in page and '<option value="3903">Holmestrand</option>' in page
    client.post(url, {"format": "pdf", "organisasjon": "3903", "faktaark": "1"})
    one = ReportFile.objects.get(organisation="3903")
    assert one.status == "ferdig" and bytes(one.content).startswith(b"%PDF")
    reply = client.get(f"/kartlegginger/vestfold/resultater/rapport/{one.pk}/")
    assert reply["Content-Type"] == "application/pdf"
    assert "faktaark-3903-vestfold" in reply["Content-Disposition"]
    client.post(url, {"format": "pdf", "organisasjon": "", "faktaark": "1"})
    every = ReportFile.objects.get(format="faktaark")
    names = zipfile.ZipFile(io.BytesIO(bytes(every.content))).namelist()
    assert "faktaark-3909-larvik.pdf" in names and "faktaark-3909-larvik.docx" in names
    assert client.post(url, {"format": "pdf", "organisasjon": "9999"}).status_code == 404
    files = client.get("/kartlegginger/vestfold/resultater/rapporter/").content.decode()
    assert "Faktaark for alle kommunene (ZIP)" in files and "Faktaark 3903 (PDF)" in files


def test_the_report_command_writes_every_fact_sheet(vestfold, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "faktaark.zip"
    call_command("report", survey="vestfold", format="factsheets", output=out, stdout=io.StringIO())
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == 6 and "faktaark-3903-holmestrand.docx" in names


def test_the_word_sheet_is_compact_with_room_for_the_texts(vestfold):
    from docx.shared import Pt

    word = Document(io.BytesIO(to_docx(sheet_for(vestfold, "3903").report)))
    assert word.styles["Normal"].font.size == Pt(9.5)
    assert not word.styles["Heading 1"].paragraph_format.page_break_before  # parts follow on
    assert not any("Innhold" in p.text for p in word.paragraphs)  # no contents page
    label, text = word.tables[-1].columns
    assert text.width > 2 * label.width  # «Utfordring» beside its text, not half the page
