"""Render the report model: HTML (screen), PDF (WeasyPrint, from the same HTML), DOCX (Word)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from kartlegging.reports.model import Report


def to_html(report: Report, *, standalone: bool = True) -> str:
    """The report as HTML. Figures are <img> with alt text (kept as tags in tagged PDFs)."""
    return render_to_string("reports/report.html", {"report": report, "standalone": standalone})


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf(pdf_variant="pdf/ua-1")


def to_docx(report: Report) -> bytes:
    """A Word document with real headings, tables and figures, for the project leader to edit."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = report.author or "Kartlegging"
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    if report.author:
        document.add_paragraph(report.author)
    document.add_paragraph(report.date.strftime("%d.%m.%Y"))
    document.add_page_break()
    for section in report.sections:
        document.add_heading(section.title, level=min(section.level, 3))
        for block in section.blocks:
            if block.kind == "paragraph":
                document.add_paragraph(block.text)
            elif block.kind == "bullets":
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            elif block.kind == "table" and block.table:
                document.add_paragraph(block.table.caption, style="Caption")
                table = document.add_table(rows=1, cols=len(block.table.header))
                table.style = "Light Grid Accent 1"
                for cell, text in zip(table.rows[0].cells, block.table.header, strict=True):
                    cell.text = text
                for row in block.table.rows:
                    cells = table.add_row().cells
                    for cell, text in zip(cells, row, strict=True):
                        cell.text = str(text)
            elif block.kind == "figure" and block.figure:
                figure = block.figure
                document.add_picture(io.BytesIO(figure.png), width=Cm(15))
                picture = document.inline_shapes[-1]
                picture._inline.docPr.set("descr", figure.alt[:2000])  # alt text for Word
                document.add_paragraph(figure.title, style="Caption")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
