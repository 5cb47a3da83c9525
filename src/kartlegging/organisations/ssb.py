"""Statistics Norway's population table 07459 as a user downloads it, so that the registry
holds official, current figures without this project shipping them.

Two shapes are read (both checked against SSB's own software, see the tests' fixtures):

* **JSON-stat2**, what PxWebApi returns (v2: ``/api/pxwebapi/v2/tables/07459/data``; v1:
  ``/api/v0/no/table/07459`` with ``"format": "json-stat2"``) and what Statistikkbanken's
  «JSON-stat2» download saves. Read by the specification (https://json-stat.org/format/):
  ``id`` and ``size`` name the dimensions, ``category.index`` gives each category's
  position (an object or an array), ``value`` is the flat row-major array (or a sparse object).
  Region codes are plain (``3901``) or, with the ``agg_KommSummer`` code list, ``K-3901``;
  labels are the bare names (``Horten``).
* **Statistikkbanken's CSV download** (PxWeb 2's «CSV»: PxWebApi's ``outputFormat=csv`` with
  ``SeparatorSemicolon,IncludeTitle,UseTexts``): ISO-8859-1, a quoted title line, a header
  naming the stub variable and the heading values joined by a space, then one quoted row label
  per region with the code before the name (SSB shows regions as code and text)::

      "07459: Befolkning, etter region, statistikkvariabel og år"
      "region";"Personer 2024"
      "3901 Horten";27939

Every region that is not a current municipality is left out: the whole country (``0``),
counties (``31``, ``F-31``), Svalbard, Jan Mayen and the continental shelf (``21``–``23``),
unknown residence (``9999``) and municipalities that no longer exist (SSB marks them with their
years, «Halden (2020-2023)»). The county comes from the first two digits of the number with the
county numbers in force since 1 January 2024.

Names are kept as SSB writes them, Sami and Kven forms included («Guovdageaidnu - Kautokeino»):
that is the municipality's official name, and taking «the first name» would give the Sami name
for some municipalities and the Norwegian one for others.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kartlegging.core.csvfiles import CsvError, ImportProblems
from kartlegging.core.text import first_control_character, is_digits

# County numbers in force since 1 January 2024 (SSB's classification 104, Klass).
COUNTIES = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}
TABLE = "07459"
MUNICIPALITY_CODE = re.compile(r"^(?:K-)?(\d{4})$")
# «Halden (-2019)», «Moss (2020-2023)»: a municipality that has ceased to exist.
ENDED = re.compile(r"\((?:\d{4})?\s*-\s*\d{4}\)\s*$")
# «Moss (2024-)»: still in force; the years are not part of the name.
STARTED = re.compile(r"\s*\(\d{4}\s*-\s*\)\s*$")
YEAR = re.compile(r"^\d{4}$")
YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})(?!\d)")
TABLE_IN_TITLE = re.compile(r"^\s*(\d{5})\s*:")
# The CSV's row label: «3901 Horten», «K-3901 Horten», «0 Hele landet», «3901 - Horten».
REGION_LABEL = re.compile(r"^([KF]-)?(\d+)(?:\s+(?:-\s+)?(.*))?$")
MISSING = {"", ".", "..", "...", ":", "-"}  # SSB's symbols for a figure that is not there
# Stub columns of the CSV, in Norwegian and English downloads.
REGION_COLUMN = {"region"}
YEAR_COLUMN = {"år", "year", "tid"}
CONTENTS_COLUMN = {"statistikkvariabel", "contents", "contentscode"}
SPLIT_COLUMN = {"kjønn", "kjonn", "sex", "alder", "age"}
MAX_PROBLEMS = 50
MAX_CELLS = 1_000_000  # 07459 for every municipality and one year is about 360


class SsbFormatError(ImportProblems):
    """The SSB file cannot be used; nothing was imported."""


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str
    county: str
    population: int


@dataclass
class SsbTable:
    """The municipalities of one year from an SSB download."""

    year: int
    municipalities: list[Municipality]
    table: str = TABLE
    kind: str = ""  # "JSON-stat2" or "CSV"


@dataclass
class _Collector:
    """Gathers municipalities and every problem, so the user sees all of them at once."""

    problems: list[str] = field(default_factory=list)
    found: dict[str, tuple[str, str, int | None, str]] = field(default_factory=dict)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def region(self, code: str, label: str, value: int | None, where: str) -> None:
        number = municipality_number(code, label)
        if number is None:
            return
        name = STARTED.sub("", label).strip()
        if name.startswith(number + " "):  # «3901 3901 Horten» from codes and texts
            name = name[len(number) + 1 :].strip()
        if not name:
            self.problem(
                f"{where}: "
                + _("kommune %(nr)s har ikke navn. Last ned tabellen med tekst, ikke bare koder.")
                % {"nr": number}
            )
            return
        if number in self.found:
            self.problem(
                f"{where}: " + _("kommune %(nr)s står to ganger i tabellen") % {"nr": number}
            )
            return
        self.found[number] = (name, COUNTIES[number[:2]], value, where)

    def result(self, year: int, table: str, kind: str) -> SsbTable:
        municipalities = []
        for number, (name, county, value, where) in self.found.items():
            if value is None:
                self.problem(
                    f"{where}: " + _("mangler innbyggertall for %(year)s") % {"year": year}
                )
                continue
            municipalities.append(Municipality(number, name, county, value))
        if not self.found and not self.problems:
            self.problem(
                _(
                    "Tabellen har ingen kommuner. Velg regionene på kommunenivå («Kommuner») i "
                    "Statistikkbanken og last ned på nytt."
                )
            )
        if self.problems:
            raise SsbFormatError(_shortened(self.problems))
        municipalities.sort(key=lambda m: m.number)
        return SsbTable(year, municipalities, table, kind)


def municipality_number(code: str, label: str = "") -> str | None:
    """The four-digit number of a municipality in force, or None for every other region."""
    match = MUNICIPALITY_CODE.match(code.strip())
    if match is None:
        return None  # the country «0», counties «31» or «F-31», «K-Rest» and the like
    number = match.group(1)
    if number[:2] not in COUNTIES:
        return None  # Svalbard, Jan Mayen, the shelf, «9999», counties before 2024
    if ENDED.search(label):
        return None
    return number


def _shortened(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [_("… og %(n)s problemer til av samme slag.") % {"n": rest}]


def _split_refusal(name: str) -> str:
    return _(
        "Tabellen er også delt etter «%(name)s». Fjern «%(name)s» fra tabellen i "
        "Statistikkbanken (velg ingen verdier der), slik at tallene gjelder hele befolkningen, "
        "og last ned på nytt."
    ) % {"name": name}


# --------------------------------------------------------------------------- recognising


def kind_of(data: bytes) -> str | None:
    """ "jsonstat" or "csv" for an SSB download, None for anything else (our own table)."""
    head = _decode(data[:4096], strict=False)
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return "jsonstat"
    lines = [line for line in stripped.splitlines() if line.strip()][:5]
    if any(_header_cell(line) in REGION_COLUMN for line in lines):
        return "csv"
    return None


def _header_cell(line: str) -> str:
    first = re.split(r"[;,\t]", line, maxsplit=1)[0]
    return first.strip().strip('"').strip().casefold()


def _decode(data: bytes, *, strict: bool = True) -> str:
    """UTF-8 (with or without BOM) when it is, else Windows-1252/ISO-8859-1 as SSB sends CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not strict and exc.start >= len(data) - 3:  # a character cut by the 4 kB window
            return data[: exc.start].decode("utf-8-sig")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _refuse_control_characters(text: str) -> None:
    if (position := first_control_character(text)) is not None:
        raise CsvError(
            _(
                "Linje %(line)s inneholder et usynlig kontrolltegn (kode %(code)s) som ikke kan "
                "lagres. Last ned tabellen på nytt fra SSB."
            )
            % {"line": text.count("\n", 0, position) + 1, "code": ord(text[position])}
        )


def _population(value) -> tuple[int | None, bool]:
    """(figure, understood) for a cell or a JSON value; None is a figure SSB does not have."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return (value, True) if 0 <= value < 10**9 else (None, False)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and 0 <= value < 10**9:
            return int(value), True
        return None, False
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        return None, True
    if text.endswith(".0"):
        text = text[:-2]
    if is_digits(text, max_length=9):
        return int(text), True
    return None, False


# --------------------------------------------------------------------------- JSON-stat2


def read_jsonstat(data: bytes) -> SsbTable:
    """The municipalities in a JSON-stat (2.0, or 1.x as PxWebApi v1 still offers) dataset."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError(
            _("JSON-filen er ikke i UTF-8. Last ned tabellen på nytt fra SSB.")
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CsvError(
            _(
                "Filen ser ut som JSON, men kan ikke leses (linje %(line)s, tegn %(column)s). "
                "Last ned tabellen på nytt fra SSB som JSON-stat2."
            )
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except RecursionError:
        raise CsvError(_("JSON-filen er nøstet for dypt til å kunne leses.")) from None
    dataset = _dataset(document)
    ids, sizes, dimensions = _structure(dataset)
    categories = {
        dim: _categories(dimensions[dim], size) for dim, size in zip(ids, sizes, strict=True)
    }
    role = dataset.get("role")
    roles: dict = role if isinstance(role, dict) else {}
    geo = _role(roles, "geo", ids, "Region")
    time = _role(roles, "time", ids, "Tid")
    metric = _role(roles, "metric", ids, "ContentsCode")
    if geo is None:
        raise CsvError(
            _("Tabellen har ingen region. Last ned tabell 07459 med regionene på kommunenivå.")
        )
    if time is None:
        raise CsvError(_("Tabellen har ikke år. Ta med året i tabellen og last ned på nytt."))
    collector = _Collector()
    for dim in ids:
        if dim not in (geo, time, metric):
            collector.problem(_split_refusal(_dimension_label(dimensions[dim], dim)))
    year, year_code = _newest_year(categories[time], collector)
    wanted = {time: year_code}
    if metric is not None:
        wanted[metric] = _persons(categories[metric], collector)
    if collector.problems:
        raise SsbFormatError(collector.problems)
    value_at = _values(dataset, math.prod(sizes))
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    fixed = sum(strides[ids.index(dim)] * categories[dim][0][code] for dim, code in wanted.items())
    geo_stride = strides[ids.index(geo)]
    positions, labels = categories[geo]
    for code, position in sorted(positions.items(), key=lambda item: item[1]):
        label = str(labels.get(code, "")).strip()
        where = _("Region %(code)s (%(name)s)") % {"code": code, "name": label or "?"}
        value, understood = _population(value_at(fixed + geo_stride * position))
        if not understood:
            if municipality_number(code, label) is not None:
                collector.problem(
                    f"{where}: "
                    + _("innbyggertallet «%(v)s» er ikke et heltall")
                    % {"v": value_at(fixed + geo_stride * position)}
                )
            continue
        collector.region(code, label, value, where)
    label = str(dataset.get("label") or "")
    return collector.result(year, _table_id(label, dataset), "JSON-stat2")


def _dataset(document) -> dict:
    if isinstance(document, dict) and document.get("class") == "dataset":
        return document
    if isinstance(document, dict) and "class" not in document and "dimension" not in document:
        # JSON-stat 1.x: a bundle of datasets by name; PxWebApi v1 puts one in it.
        datasets = [v for v in document.values() if isinstance(v, dict) and "dimension" in v]
        if len(datasets) == 1:
            dataset = dict(datasets[0])
            dimension = dataset.get("dimension") or {}
            for key in ("id", "size", "role"):
                if key not in dataset and isinstance(dimension, dict) and key in dimension:
                    dataset[key] = dimension[key]
            return dataset
    if isinstance(document, dict) and document.get("class") in ("collection", "bundle"):
        raise CsvError(
            _("Filen er en samling av flere tabeller. Last ned bare tabell 07459 som JSON-stat2.")
        )
    raise CsvError(
        _(
            "Filen er JSON, men ikke en tabell fra SSB i JSON-stat-format. Last ned tabell 07459 "
            "som JSON-stat2."
        )
    )


def _broken_dataset() -> CsvError:
    return CsvError(
        _(
            "JSON-stat-tabellen er ufullstendig: dimensjonene og tallene stemmer ikke med "
            "hverandre. Last ned tabellen på nytt fra SSB."
        )
    )


def _structure(dataset: dict) -> tuple[list[str], list[int], dict]:
    ids, sizes, dimensions = dataset.get("id"), dataset.get("size"), dataset.get("dimension")
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or not isinstance(dimensions, dict)
        or len(ids) != len(sizes)
        or not all(isinstance(d, str) and isinstance(dimensions.get(d), dict) for d in ids)
        or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes)
        or len(set(ids)) != len(ids)
    ):
        raise _broken_dataset()
    if math.prod(sizes) > MAX_CELLS:
        raise CsvError(
            _(
                "Tabellen har mer enn %(n)s tall. Velg bare kommunene, ett år og statistikk"
                "variabelen «Personer» i Statistikkbanken, og last ned på nytt."
            )
            % {"n": f"{MAX_CELLS:,}".replace(",", "\u00a0")}
        )
    return ids, sizes, dimensions


def _categories(dimension: dict, size: int) -> tuple[dict[str, int], dict]:
    """(code → position, code → label) of a dimension, whichever way `index` is written."""
    category = dimension.get("category")
    if not isinstance(category, dict):
        raise _broken_dataset()
    label = category.get("label")
    labels: dict = label if isinstance(label, dict) else {}
    index = category.get("index")
    if isinstance(index, list):
        positions = {str(code): i for i, code in enumerate(index)}
    elif isinstance(index, dict):
        positions = {str(code): i for code, i in index.items() if isinstance(i, int)}
    elif index is None and len(labels) == 1:  # a single category may leave out its index
        positions = {str(next(iter(labels))): 0}
    else:
        raise _broken_dataset()
    if len(positions) != size or sorted(positions.values()) != list(range(size)):
        raise _broken_dataset()
    return positions, labels


def _role(roles: dict, role: str, ids: list[str], usual: str) -> str | None:
    named = roles.get(role)
    if isinstance(named, list) and len(named) == 1 and named[0] in ids:
        return named[0]
    # SSB's 07459 has at times come without role.geo; the dimension's name is the same.
    return usual if usual in ids else None


def _dimension_label(dimension: dict, name: str) -> str:
    label = dimension.get("label")
    return str(label) if isinstance(label, str) and label.strip() else name


def _newest_year(categories: tuple[dict[str, int], dict], collector: _Collector):
    positions, _labels = categories
    years = {}
    for code in positions:
        if YEAR.match(code):
            years[int(code)] = code
        else:
            collector.problem(
                _("Tidsperioden «%(code)s» er ikke et år. Bruk tabellen med årstall (07459).")
                % {"code": code}
            )
    if not years:
        if not positions:
            collector.problem(_("Tabellen har ikke noe år med tall."))
        return 0, ""
    newest = max(years)
    return newest, years[newest]


def _persons(categories: tuple[dict[str, int], dict], collector: _Collector) -> str:
    positions, labels = categories
    if len(positions) == 1:
        return next(iter(positions))
    persons = [
        code
        for code in positions
        if code.casefold().startswith("person")
        or str(labels.get(code, "")).casefold().startswith("person")
    ]
    if len(persons) != 1:
        collector.problem(
            _("Finner ikke statistikkvariabelen «Personer» i tabellen. Velg bare «Personer».")
        )
        return ""
    return persons[0]


def _values(dataset: dict, count: int) -> Callable[[int], object]:
    """The value at a flat position (None where a sparse dataset has none)."""
    raw = dataset.get("value")
    if isinstance(raw, list):
        if len(raw) != count:
            raise _broken_dataset()
        return raw.__getitem__
    if isinstance(raw, dict):  # a sparse dataset: positions as strings
        if not all(isinstance(k, str) and k.isdigit() and int(k) < count for k in raw):
            raise _broken_dataset()
        return lambda position: raw.get(str(position))
    raise _broken_dataset()


def _table_id(label: str, dataset: dict | None = None) -> str:
    match = TABLE_IN_TITLE.match(label)
    if match:
        return match.group(1)
    extension = (dataset or {}).get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    if isinstance(px, dict) and isinstance(px.get("tableid"), str):
        return px["tableid"]
    return TABLE


# --------------------------------------------------------------------------- Statistikkbanken CSV


@dataclass
class _Column:
    index: int
    year: int | None  # None: the year is in the row's «år» column


def read_statbank_csv(data: bytes) -> SsbTable:
    """The municipalities in Statistikkbanken's CSV download (semicolon or comma)."""
    text = _decode(data)
    _refuse_control_characters(text)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _header_cell(line) in REGION_COLUMN), None)
    if start is None:
        raise CsvError(_("Finner ikke kolonnen «region» i filen fra Statistikkbanken."))
    title = next((line.strip().strip('"') for line in lines[:start] if line.strip()), "")
    header_line = lines[start]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    collector = _Collector()
    try:
        header = [cell.strip() for cell in next(reader)]
        columns, year_column, contents_column = _statbank_columns(header, collector)
        if collector.problems:
            raise SsbFormatError(collector.problems)
        by_year: dict[int, _Collector] = {}
        for cells in reader:
            line = start + reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            where = _("Rad %(line)s") % {"line": line}
            cells = cells + [""] * (len(header) - len(cells))
            if contents_column is not None and not _is_persons(cells[contents_column]):
                continue
            code, name = _region_label(cells[0])
            if code is None:
                if cells[0].strip():
                    collector.problem(
                        f"{where}: "
                        + _(
                            "regionen «%(region)s» har ikke kommunenummer foran navnet. Last "
                            "ned tabellen med koder og tekst, eller som JSON-stat2."
                        )
                        % {"region": cells[0].strip()}
                    )
                continue
            for column in columns:
                year = column.year
                if year is None:
                    raw_year = cells[year_column].strip() if year_column is not None else ""
                    if not YEAR.match(raw_year):
                        if municipality_number(code, name) is not None:
                            collector.problem(
                                f"{where}: " + _("«%(v)s» er ikke et årstall") % {"v": raw_year}
                            )
                        continue
                    year = int(raw_year)
                # Problems of a year's figures count only if that year is the one imported.
                of_year = by_year.setdefault(year, _Collector())
                value, understood = _population(cells[column.index])
                if not understood:
                    if municipality_number(code, name) is not None:
                        of_year.problem(
                            f"{where}: "
                            + _("innbyggertallet «%(v)s» er ikke et heltall")
                            % {"v": cells[column.index].strip()}
                        )
                    continue
                of_year.region(code, name, value, where)
    except csv.Error:
        raise CsvError(
            _("Linje %(line)s kan ikke leses: et anførselstegn er ikke lukket.")
            % {"line": start + reader.line_num}
        ) from None
    if not by_year and not collector.problems:
        collector.problem(
            _(
                "Tabellen har ingen kommuner. Velg regionene på kommunenivå («Kommuner») i "
                "Statistikkbanken og last ned på nytt."
            )
        )
    if collector.problems:
        raise SsbFormatError(_shortened(collector.problems))
    newest = max(by_year)
    chosen = by_year[newest]
    return chosen.result(newest, _table_id(title), "CSV")


def _statbank_columns(header: list[str], collector: _Collector):
    """The value columns (with their year when the header has it) and the stub columns."""
    columns: list[_Column] = []
    year_column = contents_column = None
    for index, name in enumerate(header[1:], start=1):
        key = name.casefold()
        if key in YEAR_COLUMN:
            year_column = index
        elif key in CONTENTS_COLUMN:
            contents_column = index
        elif key in SPLIT_COLUMN:
            collector.problem(_split_refusal(name))
        else:
            found = YEAR_IN_TEXT.search(name)
            rest = YEAR_IN_TEXT.sub("", name).strip()
            if rest and not _is_persons(rest) and contents_column is None:
                continue  # another statistics variable than the number of persons
            columns.append(_Column(index, int(found.group(1)) if found else None))
    if not columns:
        collector.problem(
            _("Finner ingen kolonne med innbyggertall («Personer») i filen fra Statistikkbanken.")
        )
    elif year_column is None and any(column.year is None for column in columns):
        collector.problem(
            _("Finner ikke året i filen fra Statistikkbanken. Ta med året i tabellen.")
        )
    return columns, year_column, contents_column


def _is_persons(text: str) -> bool:
    return text.strip().casefold().startswith("person")


def _region_label(cell: str) -> tuple[str | None, str]:
    """(code, name) of a row label; a county's «F-39» keeps its prefix, so it is no number."""
    match = REGION_LABEL.match(cell.strip())
    if match is None:
        return None, ""
    prefix, digits, name = match.groups()
    code = f"{prefix}{digits}" if prefix == "F-" else digits
    return code, (name or "").strip()
