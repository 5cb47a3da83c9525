"""Render the report model: HTML (screen), PDF (WeasyPrint, from the same HTML), DOCX (Word)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kartlegging.reports.factsheet import factsheets, factsheets_zip
from kartlegging.reports.model import Report, build_report

if TYPE_CHECKING:
    from kartlegging.reports.inputs import ReportInputs

# Designsystemet's theme and the parts of it the report uses, in its own cascade layers
# (as in its index.css), inlined for the screen only: the stored report is opened from
# the download or from disk and fetches nothing, and WeasyPrint skips a screen stylesheet
# instead of parsing 60 KB it would not use.
DESIGN_SYSTEM = "vendor/designsystemet/"
DESIGN_SYSTEM_LAYERS = (
    ("", ("theme/designsystemet.css",)),
    ("ds.base", ("src/base.css",)),
    (
        "ds.components",
        tuple(
            f"src/{name}.css"
            for name in ("heading", "paragraph", "link", "list", "table", "details", "skip-link")
        ),
    ),
)
REPORT_CSS = "kartlegging/report.css"


def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} (is `npm ci` run?)")
    with open(found, encoding="utf-8") as file:
        return file.read()


@functools.cache
def design_system_css() -> str:
    parts = ["@layer ds.theme, ds.base, ds.components;"]
    for layer, files in DESIGN_SYSTEM_LAYERS:
        text = "\n".join(_static_text(DESIGN_SYSTEM + name) for name in files)
        parts.append(f"@layer {layer}{{{text}}}" if layer else text)
    return "\n".join(parts)


@functools.cache
def report_css() -> str:
    return _static_text(REPORT_CSS)


def to_html(report: Report, *, standalone: bool = True) -> str:
    """The report as HTML. Figures are <img> with alt text (kept as tags in tagged PDFs)."""
    context = {"report": report, "standalone": standalone}
    if standalone:
        context |= {"design_system_css": design_system_css(), "report_css": report_css()}
    return render_to_string("reports/report.html", context)


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf(pdf_variant="pdf/ua-1")


def to_docx(report: Report) -> bytes:
    """A Word document with real headings, tables and figures, for the project leader to edit."""
    from kartlegging.reports.word import to_docx as word_document

    return word_document(report)


# Every format a report or fact sheet is rendered to, by its file suffix.
RENDERERS = {"html": lambda r: to_html(r).encode("utf-8"), "pdf": to_pdf, "docx": to_docx}


def document(
    inputs: ReportInputs,
    fmt: str,
    *,
    organisation: str = "",
    anonymise: bool = False,
    progress: Callable[[float], None] | None = None,
) -> tuple[bytes, str]:
    """The file a user orders, and what it holds (for a log line): the report in `fmt`, one
    municipality's fact sheet (`organisation`), or with fmt "zip" every fact sheet as PDF and
    Word in one ZIP. `progress(share)` hears 0–1 as the fact sheets are drawn. Raises
    LookupError for a municipality that is not in the survey."""
    if fmt == "zip":
        sheets = factsheets(inputs, anonymise=anonymise)
        drawn = 0

        def counted(render: Callable[[Report], bytes]) -> Callable[[Report], bytes]:
            def run(report: Report) -> bytes:
                nonlocal drawn
                drawn += 1
                if progress:
                    progress(drawn / (2 * len(sheets)))
                return render(report)

            return run

        renderers = {suffix: counted(RENDERERS[suffix]) for suffix in ("pdf", "docx")}
        return factsheets_zip(sheets, renderers), _("%(n)s faktaark") % {"n": len(sheets)}
    if organisation:
        sheets = factsheets(inputs, anonymise=anonymise, only=organisation)
        if not sheets:
            raise LookupError(
                _("Kommunen %(number)s er ikke med i kartleggingen.") % {"number": organisation}
            )
        return RENDERERS[fmt](sheets[0].report), _("1 faktaark")
    report = build_report(inputs, anonymise=anonymise)
    return RENDERERS[fmt](report), _("%(n)s figurer") % {"n": len(report.figures)}
