"""The report as a Word document, for the project leader to edit (python-docx).

A4 with 2.5 cm margins, «Side N av M» in the footer, a table of contents after the cover
page, numbered captions («Figur 3.», «Tabell 2.») with SEQ fields so Word can list
figures and tables, header rows that repeat on every page, and the built-in styles (Title,
Heading 1–3, Caption) in a document whose language is Norwegian bokmål, so Norwegian Word
shows them as «Tittel», «Overskrift 1», «Bildetekst».

Built in one pass, linear in the number of blocks. python-docx's `add_paragraph` finds
the body's final `w:sectPr` by scanning the body's children for every new paragraph, and
resolves the style by name with an XPath each time; `add_picture` searches the whole
document for the next free id, and a table's `add_row().cells` lists every cell of the
table. At national scale (thousands of pages) that was quadratic and dominated the report.
Here each element is created directly and put before the `w:sectPr` we keep a reference
to, and every style is resolved once.
"""

from __future__ import annotations

import io

from django.utils.formats import date_format
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.shared import Cm, Emu, Pt

from kartlegging.reports.figures import Figure
from kartlegging.reports.model import Report, Table

LANGUAGE = "nb-NO"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.5)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN)  # 16 cm; figures are drawn to fit it
TABLE_STYLE = "Light Grid Accent 1"
# Looked up once by name; each paragraph then names its style by id.
STYLES = ["Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet"]
STYLES += ["TOC Heading", TABLE_STYLE]
TOC_PLACEHOLDER = (
    "Innholdsfortegnelsen fylles inn når feltet oppdateres: høyreklikk her og velg "
    "«Oppdater felt» (eller trykk F9)."
)


def to_docx(report: Report) -> bytes:
    factsheet = report.kind == "faktaark"  # two pages: no cover page, no contents
    writer = WordWriter(report.title, report.author or "Kartlegging", pages=not factsheet)
    writer.cover(report)
    if not factsheet:
        writer.contents()
    for section in report.sections:
        writer.heading(section.title, min(section.level, 3))
        for block in section.blocks:
            if block.kind == "paragraph":
                writer.paragraph(block.text)
            elif block.kind == "bullets":
                for item in block.items:
                    writer.paragraph(item, "List Bullet")
            elif block.kind == "table" and block.table:
                writer.table(block.table)
            elif block.kind == "figure" and block.figure:
                writer.figure(block.figure)
    return writer.save()


class WordWriter:
    """Appends paragraphs, tables and pictures to one document, in reading order."""

    def __init__(self, title: str, author: str, *, pages: bool = True) -> None:
        """`pages`: a cover page without page number, and every main part on a new page."""
        self.pages = pages
        self.document = Document()
        self.document.core_properties.title = title
        self.document.core_properties.author = author
        self.document.core_properties.language = LANGUAGE
        self._styles = {name: self.document.styles[name].style_id for name in STYLES}
        self._set_up_styles()
        self._set_up_page()
        self._end = self.document.element.body.sectPr  # every block goes before it
        self._shape_id = 0

    def _set_up_styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), LANGUAGE)
        theme_lang = self.document.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), LANGUAGE)
        # Each main part on a new page, as in the PDF.
        styles["Heading 1"].paragraph_format.page_break_before = self.pages
        if not self.pages:  # a fact sheet: two pages, as in its PDF
            styles["Normal"].font.size = Pt(9.5)
            styles["Normal"].paragraph_format.space_after = Pt(4)
            styles["Title"].font.size = Pt(20)
            styles["Heading 1"].font.size = Pt(12)

    def _set_up_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        section.header_distance = section.footer_distance = Cm(1.25)
        section.different_first_page_header_footer = self.pages  # no page number on the cover
        footer = section.footer
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line._p.extend(
            [_run("Side "), *_field("PAGE", "1"), _run(" av "), *_field("NUMPAGES", "1")]
        )

    def _add(self, style: str | None = None, *runs: CT_R, keep_with_next: bool = False) -> CT_P:
        p = OxmlElement("w:p")
        if style or keep_with_next:
            properties = OxmlElement("w:pPr")
            if style:
                properties.append(_element("w:pStyle", val=self._styles[style]))
            if keep_with_next:
                properties.append(OxmlElement("w:keepNext"))
            p.append(properties)
        p.extend(runs)
        self._end.addprevious(p)
        return p

    def paragraph(self, text: str, style: str | None = None) -> CT_P:
        return self._add(style, _run(text))

    def heading(self, text: str, level: int) -> CT_P:
        return self._add(f"Heading {level}", _run(text))

    def cover(self, report: Report) -> None:
        if report.logo:
            self.picture(report.logo, Cm(6), f"Logo: {report.author}" if report.author else "Logo")
        self.paragraph(report.title, "Title")
        self.paragraph(report.subtitle, "Subtitle")
        if report.author:
            self.paragraph(report.author)
        self.paragraph(date_format(report.date, "j. F Y"))

    def contents(self) -> None:
        """«Innhold» on its own page: Word's TOC field, filled in when the reader updates it."""
        heading = self.paragraph("Innhold", "TOC Heading")
        heading[0].append(OxmlElement("w:pageBreakBefore"))
        self._add(None, *_field('TOC \\o "1-3" \\h \\z \\u', TOC_PLACEHOLDER))

    def caption(self, label: str, number: int, text: str, *, keep_with_next: bool) -> CT_P:
        """«Figur 3. …»: the number is a SEQ field whose result is already filled in."""
        if not number:
            return self._add("Caption", _run(text), keep_with_next=keep_with_next)
        runs = [_run(f"{label} "), *_field(f"SEQ {label} \\* ARABIC", str(number)), _run(". ")]
        return self._add("Caption", *runs, _run(text), keep_with_next=keep_with_next)

    def table(self, table: Table) -> None:
        self.caption("Tabell", table.number, table.caption, keep_with_next=True)
        rows = [table.header, *table.rows]
        tbl = CT_Tbl.new_tbl(len(rows), len(table.header), TEXT_WIDTH)
        tbl.tblPr.insert(0, _element("w:tblStyle", val=self._styles[TABLE_STYLE]))
        trs = tbl.tr_lst
        if len(table.header) == 2:  # a label and its text («Utfordring» …): the text gets room
            widths = [Emu(int(TEXT_WIDTH * 0.25)), Emu(int(TEXT_WIDTH * 0.75))]
            for column, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
                column.w = width
            for tr in trs:
                for tc, width in zip(tr.tc_lst, widths, strict=True):
                    tc.width = width
        for tr, cells in zip(trs, rows, strict=True):
            for tc, text in zip(tr.tc_lst, cells, strict=True):
                tc.p_lst[0].append(_run(str(text)))
        header_properties = OxmlElement("w:trPr")
        header_properties.append(OxmlElement("w:tblHeader"))  # repeats on every page
        trs[0].insert(0, header_properties)
        self._end.addprevious(tbl)
        # An empty paragraph after the table keeps the next table or caption apart from it.
        self._add()

    def picture(self, png: bytes, width: int, alt: str, name: str = "Logo") -> None:
        """A picture at most `width` wide in a paragraph of its own, with its text alternative."""
        part = self.document.part
        rId, image = part.get_or_add_image(io.BytesIO(png))
        width, height = image.scaled_dimensions(min(width, image.width), None)
        self._shape_id += 1
        inline = CT_Inline.new_pic_inline(self._shape_id, rId, image.filename, width, height)
        inline.docPr.set("name", name)
        inline.docPr.set("descr", alt[:2000])  # alt text for Word
        run = OxmlElement("w:r")
        run.add_drawing(inline)
        self._add(None, run, keep_with_next=True)

    def figure(self, figure: Figure) -> None:
        name = f"Figur {figure.number}" if figure.number else "Figur"
        width = TEXT_WIDTH if self.pages else Emu(int(TEXT_WIDTH * 0.75))
        self.picture(figure.png, width, figure.alt, name)
        self.caption("Figur", figure.number, figure.caption, keep_with_next=False)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _element(tag: str, **attributes: str):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _run(text: str) -> CT_R:
    run = OxmlElement("w:r")
    run.text = text  # python-docx turns tabs and line breaks into w:tab and w:br
    return run


def _field(instruction: str, result: str) -> list[CT_R]:
    """A complex field with its result filled in, so it reads right before Word updates it."""
    begin, separate, end = (OxmlElement("w:r") for _ in range(3))
    begin.append(_element("w:fldChar", fldCharType="begin"))
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    code.append(text)
    separate.append(_element("w:fldChar", fldCharType="separate"))
    end.append(_element("w:fldChar", fldCharType="end"))
    return [begin, code, separate, _run(result), end]
