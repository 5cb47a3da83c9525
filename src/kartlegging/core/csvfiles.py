"""Reading user-supplied tables: CSV (UTF-8 with or without BOM, comma or semicolon) or an
Excel workbook (.xlsx, its first worksheet).

The two are told apart by content, not by file name: an XLSX file is a zip archive, and every
zip archive starts with b"PK". Both give the same rows (line or row number, cells as text
keyed by the lower-case header), so an importer never knows which one the user had.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kartlegging.core.text import first_control_character

# Python's csv refuses fields over 128 KiB with an exception; a long free-text answer in an
# import may be longer. Read it, and let the column's own limit say what is wrong.
FIELD_LIMIT = 1_000_000
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))

XLSX_MAGIC = b"PK"  # the start of every zip archive, and so of every .xlsx file
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (OLE2 compound file), which openpyxl cannot read
# A workbook of a few thousand rows unpacks to a few MB. The limit is checked on the sizes the
# archive declares before anything is unpacked (Python's zipfile never inflates an entry past
# its declared size), so a «zip bomb» of a few kB that inflates to gigabytes is refused.
XLSX_MAX_UNPACKED = 20 * 1024 * 1024
XLSX_MAX_ENTRIES = 1_000

Required = list[str] | Callable[[list[str]], list[str]]


class ImportProblems(ValueError):
    """Every problem found in an imported file; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class CsvError(ImportProblems):
    """A file-level problem (encoding, missing columns) that stops reading the rows."""

    def __init__(self, message: str):
        super().__init__([message])


@dataclass
class Table:
    """A user's table: the normalised header and the non-empty rows with their numbers."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    is_xlsx: bool


def is_xlsx(data: bytes) -> bool:
    return data[:2] == XLSX_MAGIC


def read_rows(
    data: bytes, required: Required, aliases: dict[str, str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) pairs with header names normalised to lower case."""
    return read_table(data, required, aliases).rows


def read_table(data: bytes, required: Required, aliases: dict[str, str] | None = None) -> Table:
    """The table in a CSV or XLSX file; `required` columns (or a function of the header that
    names them) are checked before any row is read."""
    if data[:4] == OLD_EXCEL_MAGIC:
        raise CsvError(
            _(
                "Filen er en eldre Excel-fil (.xls), som ikke kan leses. Lagre den i Excel som "
                "«Excel-arbeidsbok (.xlsx)» eller som «CSV UTF-8», og prøv igjen."
            )
        )
    if is_xlsx(data):
        return _xlsx_table(data, required, aliases or {})
    return _csv_table(data, required, aliases or {})


def _header(names: Iterable[str], aliases: dict[str, str], required: Required) -> list[str]:
    """The header in lower case with aliases applied, once the required columns are there.

    A `required` function gets the names as written (in lower case, before aliases), since
    which columns a file needs may depend on which name it uses for one of them.
    """
    written = [n.strip().lower() for n in names]
    header = [aliases.get(n, n) for n in written]
    needed = required(written) if callable(required) else required
    missing = [name for name in needed if name not in header]
    if missing:
        raise CsvError(
            _("Filen mangler kolonnen(e) %(missing)s. Første linje må være: %(header)s")
            % {"missing": ", ".join(missing), "header": ",".join(needed)}
        )
    return header


# --------------------------------------------------------------------------- CSV


def _csv_table(data: bytes, required: Required, aliases: dict[str, str]) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError(
            _("Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen.")
        ) from None
    if not text.strip():
        raise CsvError(_("Filen er tom."))
    if (position := first_control_character(text)) is not None:
        raise CsvError(
            _(
                "Linje %(line)s inneholder et usynlig kontrolltegn (kode %(code)s) som ikke "
                "kan lagres. Fjern det, lagre filen som «CSV UTF-8» og prøv igjen."
            )
            % {"line": text.count("\n", 0, position) + 1, "code": ord(text[position])}
        )
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = _header(reader.fieldnames or [], aliases, required)
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if any(clean.values()):
                rows.append((reader.line_num, clean))
    except csv.Error:
        raise CsvError(
            _(
                "Linje %(line)s kan ikke leses: et felt er lengre enn %(limit)s tegn, eller et "
                "anførselstegn er ikke lukket. Rett linjen og prøv igjen."
            )
            % {"line": reader.line_num, "limit": f"{FIELD_LIMIT:,}".replace(",", "\u00a0")}
        ) from None
    return Table(header, rows, is_xlsx=False)


# --------------------------------------------------------------------------- XLSX


def _broken_xlsx() -> CsvError:
    return CsvError(
        _(
            "Filen ser ut som en Excel-fil (.xlsx), men den kan ikke åpnes. Lagre den på nytt "
            "i Excel som «Excel-arbeidsbok (.xlsx)» eller som «CSV UTF-8», og prøv igjen."
        )
    )


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _broken_xlsx() from None
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > XLSX_MAX_ENTRIES or unpacked > XLSX_MAX_UNPACKED:
        raise CsvError(
            _(
                "Excel-filen pakker seg ut til mer enn %(limit)s MB og leses ikke. Lagre arket "
                "som «CSV UTF-8», eller del det opp, og prøv igjen."
            )
            % {"limit": XLSX_MAX_UNPACKED // (1024 * 1024)}
        )


def _xlsx_table(data: bytes, required: Required, aliases: dict[str, str]) -> Table:
    from openpyxl import load_workbook  # imported here: most requests never read a workbook

    _check_archive(data)
    try:
        # read_only streams the sheet instead of building it in memory; data_only gives the
        # values Excel last calculated, never a formula's text.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, ValueError, zip and XML errors alike
        raise _broken_xlsx() from None
    try:
        if not workbook.worksheets:
            raise _broken_xlsx()
        numbered = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        try:
            first = next(numbered, None)
            if first is None or not any(_cell_text(v) for v in first[1]):
                raise CsvError(_("Filen er tom."))
            header = _header((_cell_text(v) for v in first[1]), aliases, required)
            rows = []
            for number, values in numbered:
                cells = [_cell_text(v) for v in values]
                for column, cell in enumerate(cells, start=1):
                    if (position := first_control_character(cell)) is not None:
                        raise CsvError(
                            _(
                                "Rad %(line)s, kolonne %(column)s inneholder et usynlig "
                                "kontrolltegn (kode %(code)s) som ikke kan lagres. Fjern det "
                                "og prøv igjen."
                            )
                            % {"line": number, "column": column, "code": ord(cell[position])}
                        )
                row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
                if any(row.values()):
                    rows.append((number, row))
        except ImportProblems:
            raise
        except Exception:  # a broken sheet is only found while it is read
            raise _broken_xlsx() from None
    finally:
        workbook.close()
    return Table(header, rows, is_xlsx=True)


def _cell_text(value) -> str:
    """A cell as the text a user typed: 3901.0 (Excel stores numbers as floats) is «3901»;
    «0301» stays as it is, since Excel keeps a leading zero only in a text cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
