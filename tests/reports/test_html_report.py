"""The report page and its PDF: one main, numbered tables, Designsystemet on screen only."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_html, to_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(two_answers):
    return report_for(two_answers)


def test_the_page_has_one_main_and_landmarks_without_repeats(report):
    html = to_html(report)
    assert html.count("<main") == 1
    assert html.count("<header") == 1 and html.count("<nav") == 1
    assert "aria-labelledby" not in html.split("<main")[1]  # parts are no named regions


def test_tables_are_numbered_and_have_no_empty_header_cell(report):
    html = to_html(report)
    captions = re.findall(r"<caption>(.*?)</caption>", html)
    assert captions[0].startswith("Tabell 1. ")
    assert captions[1].startswith("Tabell 2. ")
    assert not re.search(r"<th[^>]*>\s*</th>", html)


def test_designsystemet_is_inlined_for_the_screen_only(report):
    html = to_html(report)
    screen = html.split('<style media="screen">')[1].split("</style>")[0]
    assert ".ds-table" in screen and "--ds-color-accent-base-default" in screen
    assert "<link" not in html  # nothing fetched: the download allows inline styles only


def test_pdf_is_tagged_a4_with_page_numbers_in_the_contents(report):
    reader = PdfReader(io.BytesIO(to_pdf(report)))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    contents = reader.pages[1].extract_text()
    assert "Innhold" in contents
    assert re.search(r"Sammendrag\s*\.{3,}\s*3", contents)
    assert "Side 2 av" in contents
