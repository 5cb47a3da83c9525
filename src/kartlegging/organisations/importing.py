"""Import organisations: all rows valid, or nothing is changed.

The file says what it is: our own table (CSV or XLSX, `nummer,navn,type,innbyggere,fylke`),
or one of Statistics Norway's downloads of table 07459 (JSON-stat2, or Statistikkbanken's CSV;
see ssb.py), from which the municipalities with their population are taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kartlegging.core.csvfiles import CsvError, ImportProblems, Table, read_table
from kartlegging.core.text import is_digits
from kartlegging.organisations import ssb
from kartlegging.organisations.models import Organisation

REQUIRED = ["nummer", "navn", "type", "innbyggere", "fylke"]
# The national list in shared/data/kommuner.csv uses these names.
ALIASES = {"kommunenummer": "nummer", "aar": "år"}
KOMMUNE_NUMBER = re.compile(r"^\d{4}$")


class OrganisationImportError(ImportProblems):
    """A row of the organisation file is wrong."""


@dataclass
class ImportResult:
    created: int
    updated: int
    year: int | None = None  # the population's year (1 January)
    source: str = ""  # «SSB-tabell 07459 (JSON-stat2)» for SSB's files, "" for our own

    @property
    def summary(self) -> str:
        """One line for the command and the page: what was imported from where."""
        counts = _("%(created)s nye, %(updated)s oppdatert") % {
            "created": self.created,
            "updated": self.updated,
        }
        if not self.source:
            return _("Importert: %(counts)s.") % {"counts": counts}
        return _("Importert: %(counts)s (innbyggere 1. januar %(year)s, %(source)s).") % {
            "counts": counts,
            "year": self.year,
            "source": self.source,
        }


def import_organisations(
    data: bytes, year: int | None = None, *, fallback_year: int | None = None
) -> ImportResult:
    """Import the file; raise ImportProblems listing every problem if anything is wrong.

    `year` is the population's year for our own table (or `fallback_year` when not given).
    SSB's files carry their year; a different `year` asked for is refused rather than
    written on figures from another year.
    """
    kind = None if data[:2] == b"PK" else ssb.kind_of(data)
    if kind == "jsonstat":
        return _save_ssb(ssb.read_jsonstat(data), year)
    if kind == "csv":
        return _save_ssb(ssb.read_statbank_csv(data), year)
    return _import_table(read_table(data, _required, ALIASES), year or fallback_year)


def _required(written: list[str]) -> list[str]:
    """The columns our table needs, given its header as written."""
    if not {"nummer", "kommunenummer"} & set(written) and (
        written[:1] == ["region"] or any(ssb.TABLE in name for name in written)
    ):
        # Statistikkbanken's Excel download: a title and a pivoted header we do not guess at.
        raise CsvError(
            _(
                "Dette ser ut som en Excel-fil fra Statistikkbanken. Last ned tabellen som CSV "
                "eller JSON-stat2 i stedet, og importer den filen."
            )
        )
    # shared/data/kommuner.csv has no type column: every row there is a municipality.
    if "kommunenummer" in written and "type" not in written:
        return [c for c in REQUIRED if c != "type"]
    return REQUIRED


def _import_table(table: Table, year: int | None) -> ImportResult:
    problems: list[str] = []
    parsed: list[dict] = []
    seen: dict[str, int] = {}
    kinds = {k.value for k in Organisation.Kind}
    for line, row in table.rows:
        where = _("Rad %(line)s") % {"line": line}
        number, name = row.get("nummer", ""), row.get("navn", "")
        kind = (row.get("type") or "kommune").lower()
        if not number:
            problems.append(f"{where}: " + _("mangler nummer"))
        elif number in seen:
            problems.append(
                f"{where}: "
                + _("nummer %(nr)s står også på rad %(other)s")
                % {"nr": number, "other": seen[number]}
            )
        seen.setdefault(number, line)
        if not name:
            problems.append(f"{where}: " + _("mangler navn"))
        if kind not in kinds:
            problems.append(
                f"{where}: "
                + _("ukjent type «%(kind)s» (bruk kommune, helseforetak eller annet)")
                % {"kind": kind}
            )
        elif kind == "kommune" and number and not KOMMUNE_NUMBER.match(number):
            problem = _("kommunenummer må ha fire sifre, fikk «%(nr)s»") % {"nr": number}
            if table.is_xlsx and is_digits(number) and len(number) == 3:
                problem += " " + _(
                    "(Excel fjerner nullen foran et tall; skriv nummeret som tekst, «0301»)"
                )
            problems.append(f"{where}: {problem}")
        population = None
        raw_population = row.get("innbyggere", "").replace(" ", "").replace("\u00a0", "")
        if raw_population:
            if not is_digits(raw_population, max_length=9):
                problems.append(
                    f"{where}: "
                    + _("innbyggere må være et heltall, fikk «%(v)s»")
                    % {"v": row.get("innbyggere")}
                )
            else:
                population = int(raw_population)
        elif kind == "kommune":
            problems.append(f"{where}: " + _("mangler innbyggertall for kommunen"))
        parsed.append(
            {
                "number": number,
                "name": name,
                "kind": kind,
                "county": row.get("fylke", ""),
                "population": population,
            }
        )
    if not table.rows:
        problems.append(_("Filen har ingen rader med organisasjoner."))
    if problems:
        raise OrganisationImportError(problems)
    created = updated = 0
    with transaction.atomic():
        for item in parsed:
            _obj, was_created = Organisation.objects.update_or_create(
                number=item["number"],
                defaults={**item, "population_year": year if item["population"] else None},
            )
            created += was_created
            updated += not was_created
    return ImportResult(created, updated, year)


def _save_ssb(table: ssb.SsbTable, year: int | None) -> ImportResult:
    if year is not None and year != table.year:
        raise OrganisationImportError(
            [
                _(
                    "Filen har innbyggertall for %(file)s, ikke for %(asked)s. Last ned året du "
                    "vil ha, eller importer uten å oppgi år."
                )
                % {"file": table.year, "asked": year}
            ]
        )
    created = updated = 0
    with transaction.atomic():
        for municipality in table.municipalities:
            _obj, was_created = Organisation.objects.update_or_create(
                number=municipality.number,
                defaults={
                    "name": municipality.name,
                    "kind": Organisation.Kind.KOMMUNE,
                    "county": municipality.county,
                    "population": municipality.population,
                    "population_year": table.year,
                },
            )
            created += was_created
            updated += not was_created
    source = _("SSB-tabell %(table)s, %(kind)s") % {"table": table.table, "kind": table.kind}
    return ImportResult(created, updated, table.year, source)
