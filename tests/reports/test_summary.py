"""«Sammendrag og forside»: the summary drafted from the data, edited by the leader and used
in every format; the cover logo."""

from __future__ import annotations

import io

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from kartlegging.core.models import AuditEntry
from kartlegging.reports.inputs import gather, report_for
from kartlegging.reports.model import draft_summary, summary_blocks
from kartlegging.reports.models import ReportSettings
from kartlegging.reports.render import to_docx, to_html, to_pdf

URL = "/kartlegginger/test/resultater/sammendrag/"
OWN_TEXT = "Horten har en sterk koordinatorfunksjon.\n\n- Lag en felles rutine for hjemmedød"


def png(width=40, height=20) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#0b3d6e").save(out, format="PNG")
    out.seek(0)
    out.name = "logo.png"
    return out


def test_the_draft_gives_the_response_rate_and_facts_per_municipality(two_answers):
    text = draft_summary(gather(two_answers))
    assert "2 av 2 inviterte ressurspersoner svarte (100 %)" in text
    # Horten's two respondents disagree on the coordinator: one municipality, disputed
    assert "0 av 1 kommuner har kreftkoordinator (0 %) – ulike svar i 1" in text


def test_summary_text_becomes_paragraphs_and_bullets():
    blocks = summary_blocks("Første avsnitt\nfortsetter.\n\n- en\n- to\nEtter listen.")
    assert blocks == [
        ("paragraph", "Første avsnitt fortsetter."),
        ("bullets", ["en", "to"]),
        ("paragraph", "Etter listen."),
    ]


def test_the_report_uses_the_draft_until_the_leader_writes_one(as_, two_answers):
    report = report_for(two_answers)
    assert "inviterte ressurspersoner svarte" in report.sections[0].blocks[0].text
    reply = as_("leder").post(URL, {"handling": "lagre", "summary": OWN_TEXT})
    assert reply.status_code == 302
    assert ReportSettings.objects.get(survey=two_answers).summary == OWN_TEXT
    page = as_("leder").get(reply["Location"]).content.decode()
    assert "Sammendraget er lagret" in page and "Rapporten bruker din tekst." in page
    assert AuditEntry.objects.filter(action="report.summary_saved").exists()


def test_the_leaders_summary_is_in_html_pdf_and_word(as_, two_answers):
    as_("leder").post(URL, {"handling": "lagre", "summary": OWN_TEXT})
    report = report_for(two_answers)
    assert "Horten har en sterk koordinatorfunksjon." in to_html(report)
    assert "<li>Lag en felles rutine for hjemmedød</li>" in to_html(report)
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages)
    assert "Horten har en sterk koordinatorfunksjon." in pdf
    word = "\n".join(p.text for p in Document(io.BytesIO(to_docx(report))).paragraphs)
    assert "Horten har en sterk koordinatorfunksjon." in word
    assert "Lag en felles rutine for hjemmedød" in word
    assert "inviterte ressurspersoner svarte" not in word  # the draft is replaced


def test_anonymised_report_replaces_names_in_the_leaders_text(as_, two_answers):
    as_("leder").post(URL, {"handling": "lagre", "summary": OWN_TEXT})
    html = to_html(report_for(two_answers, anonymise=True))
    assert "Stor kommune 1 har en sterk koordinatorfunksjon." in html
    assert "Horten" not in html


def test_going_back_to_the_draft_needs_a_tick(as_, two_answers):
    as_("leder").post(URL, {"handling": "lagre", "summary": OWN_TEXT})
    page = as_("leder").post(URL, {"handling": "utkast"}).content.decode()
    assert "Kryss av for at du vil erstatte teksten din med utkastet." in page
    assert ReportSettings.objects.get(survey=two_answers).summary == OWN_TEXT
    as_("leder").post(URL, {"handling": "utkast", "bekreft": "1"})
    assert ReportSettings.objects.get(survey=two_answers).summary == ""


def test_the_group_reads_the_page_but_cannot_change_it(as_, two_answers):
    assert as_("gruppe").get(URL).status_code == 200
    assert as_("gruppe").post(URL, {"handling": "lagre", "summary": "x"}).status_code == 403
    assert as_("utenfor").get(URL).status_code == 404
    assert not ReportSettings.objects.exists()


def test_a_summary_with_control_characters_is_refused(as_, two_answers):
    page = as_("leder").post(URL, {"handling": "lagre", "summary": "Bra\x07"}).content.decode()
    assert "ds-error-summary" in page
    assert not ReportSettings.objects.exists()


def test_a_logo_is_stored_as_png_and_reaches_the_report(as_, two_answers):
    reply = as_("leder").post(URL, {"handling": "logo", "logo": png(1600, 400)})
    assert reply.status_code == 302
    stored = bytes(ReportSettings.objects.get(survey=two_answers).logo)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.width <= 800
    assert report_for(two_answers).logo == stored
    assert AuditEntry.objects.filter(action="report.logo_uploaded").exists()
    as_("leder").post(URL, {"handling": "fjern_logo"})
    assert report_for(two_answers).logo is None


@pytest.mark.parametrize(
    "content, name",
    [(b"GIF89a\x01\x00\x01\x00", "logo.gif"), (b"<svg></svg>", "logo.svg"), (b"", "tom.png")],
)
def test_a_logo_that_is_not_png_or_jpeg_is_refused(as_, two_answers, content, name):
    upload = io.BytesIO(content)
    upload.name = name
    page = as_("leder").post(URL, {"handling": "logo", "logo": upload}).content.decode()
    assert "ds-error-summary" in page
    assert not ReportSettings.objects.filter(logo__isnull=False).exists()


def test_the_field_starts_from_the_draft_until_the_leader_saves_a_text(as_, two_answers):
    page = as_("leder").get(URL).content.decode()
    field = page.split('name="summary"')[1].split("</textarea>")[0]
    assert "2 av 2 inviterte ressurspersoner svarte" in field
    as_("leder").post(URL, {"handling": "lagre", "summary": OWN_TEXT})
    field = (
        as_("leder").get(URL).content.decode().split('name="summary"')[1].split("</textarea>")[0]
    )
    assert "Horten har en sterk koordinatorfunksjon." in field
