"""Reading user-supplied CSV files: UTF-8 (with or without BOM), comma or semicolon."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from kartlegging.core.text import first_control_character

# Python's csv refuses fields over 128 KiB with an exception; a long free-text answer in an
# import may be longer. Read it, and let the column's own limit say what is wrong.
FIELD_LIMIT = 1_000_000
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


class ImportProblems(ValueError):
    """Every problem found in an imported file; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class CsvError(ImportProblems):
    """A file-level problem (encoding, missing columns) that stops reading the rows."""

    def __init__(self, message: str):
        super().__init__([message])


def read_rows(
    data: bytes, required: list[str], aliases: dict[str, str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) pairs with header names normalised to lower case."""
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
    aliases = aliases or {}
    header = [aliases.get(h.strip().lower(), h.strip().lower()) for h in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvError(
            _("Filen mangler kolonnen(e) %(missing)s. Første linje må være: %(header)s")
            % {"missing": ", ".join(missing), "header": ",".join(required)}
        )
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
    return rows
