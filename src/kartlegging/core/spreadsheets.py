"""Spreadsheet exports (CSV and XLSX) that a spreadsheet program cannot run as formulas.

Respondents type free text, and a cell such as `=HYPERLINK(...)` would otherwise become a
live formula when a project member opens the export. Following the OWASP advice on CSV
injection, every text cell that could start a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OSLO = ZoneInfo("Europe/Oslo")
# Excel: at most 31 characters in a sheet name, and none of these.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60


def neutralise(value):
    """Return the value with text that could run as a formula prefixed by an apostrophe.

    Numbers, dates and booleans are returned unchanged; None becomes "".
    """
    if value is None:
        return ""
    if isinstance(value, Promise):  # lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_naive(value: dt.datetime) -> dt.datetime:
    """A datetime as wall-clock time in Oslo without tzinfo (spreadsheets have no zones)."""
    if value.tzinfo is not None:
        value = value.astimezone(OSLO).replace(tzinfo=None)
    return value


def csv_bytes(header: list[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM and semicolons, so Norwegian Excel opens it with the right columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value):
    value = neutralise(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float | Decimal):
        # Norwegian Excel reads "1.5" as a date or text; a decimal comma is a number.
        return str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return local_naive(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def xlsx_bytes(sheets: dict[str, tuple[list[str], Iterable[Sequence]]]) -> bytes:
    """One worksheet per entry: bold frozen header, fitted column widths, no formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(_sheet_name(name, used))
        widths: dict[int, int] = {}
        sheet.append([_xlsx_cell(v) for v in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        _measure(widths, header)
        for row in rows:
            values = [_xlsx_cell(v) for v in row]
            sheet.append(values)
            _measure(widths, values)
        for index, width in widths.items():
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width + 2, MIN_WIDTH), MAX_WIDTH
            )
        sheet.freeze_panes = "A2"
    if not workbook.worksheets:
        workbook.create_sheet("Ark1")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    if value is None:
        return None  # an empty cell
    if isinstance(value, dt.datetime):
        return local_naive(value)
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    # Anything else (text, UUIDs, lazy strings) as text. Strip the control characters XLSX
    # cannot hold first, so that stripping cannot uncover a formula.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _measure(widths: dict[int, int], values: Sequence) -> None:
    for index, value in enumerate(values, start=1):
        if value is None:
            length = 0
        elif isinstance(value, dt.datetime):
            length = 16
        elif isinstance(value, str):
            length = max((len(line) for line in value.splitlines()), default=0)
        else:
            length = len(str(value))
        widths[index] = max(widths.get(index, 0), length)


def _sheet_name(name: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("-", str(name)).strip("'")[:31] or "Ark"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
