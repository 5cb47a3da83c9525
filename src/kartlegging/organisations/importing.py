"""Import organisations from CSV: all rows valid, or nothing is changed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kartlegging.core.csvfiles import ImportProblems, read_rows
from kartlegging.core.text import is_digits
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


def import_organisations(data: bytes, year: int | None = None) -> ImportResult:
    required = [c for c in REQUIRED if c != "type"] if _lacks_type(data) else REQUIRED
    rows = read_rows(data, required, ALIASES)
    problems: list[str] = []
    parsed: list[dict] = []
    seen: dict[str, int] = {}
    kinds = {k.value for k in Organisation.Kind}
    for line, row in rows:
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
            problems.append(
                f"{where}: " + _("kommunenummer må ha fire sifre, fikk «%(nr)s»") % {"nr": number}
            )
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
    if not rows:
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
    return ImportResult(created, updated)


def _lacks_type(data: bytes) -> bool:
    # shared/data/kommuner.csv has no type column: every row there is a municipality.
    head = data[:500].decode("utf-8-sig", errors="ignore").splitlines()[:1]
    return bool(head) and "kommunenummer" in head[0].lower() and "type" not in head[0].lower()
