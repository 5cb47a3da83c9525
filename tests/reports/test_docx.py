"""The Word report as the project leader opens it, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm

from kartlegging.reports.figures import bar_chart
from kartlegging.reports.inputs import report_for
from kartlegging.reports.model import Block, Report, Section, Table
from kartlegging.reports.render import to_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(two_answers):
    return Document(io.BytesIO(to_docx(report_for(two_answers))))


def fields(part_element) -> list[str]:
    """The instructions of every field in a part (complex fields and simple ones)."""
    complex_fields = ["".join(t.text or "") for t in part_element.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr")) for f in part_element.iter(qn("w:fldSimple"))]
    return [" ".join(text.split()) for text in complex_fields + simple]


def test_the_page_is_a4_with_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert all(
        Cm(2) <= margin <= Cm(3)
        for margin in (section.left_margin, section.right_margin, section.top_margin)
    )


def test_the_footer_says_side_n_av_m(document):
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    assert "Side" in footer.paragraphs[0].text and " av " in footer.paragraphs[0].text
    instructions = fields(footer._element)
    assert any(i.startswith("PAGE") for i in instructions)
    assert any(i.startswith("NUMPAGES") for i in instructions)


def test_a_table_of_contents_follows_the_cover_page(document):
    body = document.element.body
    assert 'TOC \\o "1-3" \\h \\z \\u' in fields(body)
    texts = [p.text for p in document.paragraphs]
    assert any("Oppdater felt" in t for t in texts)  # what to do before Word has filled it in
    # After the cover page: the title comes first, the contents before the first heading.
    toc = next(i for i, t in enumerate(texts) if "Oppdater felt" in t)
    first_heading = next(
        i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 1"
    )
    assert 0 < toc < first_heading


def test_captions_are_numbered_figures_and_tables(document):
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    figure_captions = [p.text for p in captions if p.text.startswith("Figur")]
    table_captions = [p.text for p in captions if p.text.startswith("Tabell")]
    assert figure_captions[0].startswith("Figur 1. ")
    assert figure_captions[1].startswith("Figur 2. ")
    assert table_captions[0].startswith("Tabell 1. Svarprosent")
    assert table_captions[1].startswith("Tabell 2. ")
    # SEQ fields let Word build lists of figures and tables.
    instructions = fields(document.element.body)
    assert sum(i.startswith("SEQ Figur") for i in instructions) == len(figure_captions)
    assert sum(i.startswith("SEQ Tabell") for i in instructions) == len(table_captions)


def test_headings_use_the_built_in_styles(document):
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title"
    assert document.paragraphs[0].text == "Testkartlegging"
    assert {"Heading 1", "Heading 2"} <= set(styles)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Sammendrag", "Metode og svarprosent"]


def test_the_document_language_is_norwegian_bokmal(document):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    languages = [e.get(qn("w:val")) for e in defaults.iter(qn("w:lang"))]
    assert languages == ["nb-NO"]
    assert document.core_properties.language == "nb-NO"


def test_table_header_rows_repeat_on_every_page(document):
    assert document.tables
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )


def test_figures_keep_their_alt_text_and_print_width(document):
    shapes = document.inline_shapes
    assert shapes
    for shape in shapes:
        assert shape._inline.docPr.get("descr")
        assert shape.width <= Cm(16)
    ids = [s._inline.docPr.get("id") for s in shapes]
    assert len(set(ids)) == len(ids)


def _report(blocks: int) -> Report:
    """A report model with `blocks` paragraphs, bullets, table rows and figures in sections."""
    figure = bar_chart("Hvilken rolle har du?", ["Leder", "Annet", "Vet ikke"], [50, 40, 10], 10)
    sections = []
    for index in range(blocks // 10):
        section = Section(f"Del {index + 1}", level=1 + index % 2)
        for line in range(7):
            section.blocks.append(Block("paragraph", text=f"Avsnitt {index}.{line}"))
        section.blocks.append(Block("bullets", items=["én", "to"]))
        table = Table(f"Tabell i del {index}", ["Svar", "Antall"], [["Ja", "1"], ["Nei", "2"]])
        section.blocks.append(Block("table", table=table))
        if index % 5 == 0:
            section.blocks.append(Block("figure", figure=figure))
        sections.append(section)
    return Report("Stor rapport", "Resultater", "USHT", dt.date(2027, 3, 1), sections)


def _lookups(monkeypatch) -> list[int]:
    """Counts, for every search python-docx or we make in the XML, the elements searched.

    A search among an element's children costs its number of children; a search of the
    whole document (an XPath starting with //) costs the size of the document.
    """
    visited = [0]
    original_xpath = BaseOxmlElement.xpath
    original_find = BaseOxmlElement.find
    original_findall = BaseOxmlElement.findall

    def counted(original):
        def wrapper(self, path, *args, **kwargs):
            whole = isinstance(path, str) and path.startswith(("//", ".//"))
            visited[0] += sum(1 for _ in self.getroottree().iter()) if whole else len(self)
            return original(self, path, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(BaseOxmlElement, "xpath", counted(original_xpath))
    monkeypatch.setattr(BaseOxmlElement, "find", counted(original_find))
    monkeypatch.setattr(BaseOxmlElement, "findall", counted(original_findall))
    return visited


def test_building_the_document_is_linear_in_its_blocks(monkeypatch):
    """At national scale (thousands of pages) a search per block through the whole body
    made the Word report quadratic. Measured in elements searched, not in seconds."""
    small, large = _report(100), _report(400)
    to_docx(small)  # draws the figure once, outside the count
    visited = _lookups(monkeypatch)
    to_docx(small)
    work_small = visited[0]
    visited[0] = 0
    to_docx(large)
    work_large = visited[0]
    assert work_large <= 5 * work_small, (work_small, work_large)


def test_a_report_of_3000_blocks_renders_every_one_in_order():
    report = _report(3000)
    document = Document(io.BytesIO(to_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert texts.count("Avsnitt 0.0") == 1 and "Avsnitt 299.6" in texts
    assert texts.index("Avsnitt 12.3") < texts.index("Avsnitt 12.4") < texts.index("Avsnitt 13.0")
    assert len(document.tables) == 300
    assert len(document.inline_shapes) == 60
    # The section properties (A4, footer) stay the last element of the body.
    assert document.element.body[-1].tag == qn("w:sectPr")
