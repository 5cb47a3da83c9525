"""Write the SSB fixtures in tests/fixtures/ from ../shared/data/kommuner.csv.

    .venv/bin/python -m tests.organisations.make_ssb_fixtures

The files have the shapes Statistics Norway's own software writes (PxWebApi and
PCAxis.Serializers, https://github.com/PxTools; Statistikkbanken is PxWeb 2), for table 07459
with all 357 municipalities and 1 January 2024:

* ssb-07459.json: PxWebApi v2 `GET /api/pxwebapi/v2/tables/07459/data?lang=no&
  valueCodes[Region]=*&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=2024`
  (the v1 POST with "json-stat2" gives the same document): the whole country, the counties,
  the municipalities and municipalities that no longer exist, with plain codes («3901»).
* ssb-07459-kommsummer.json: the same with `codelist[Region]=agg_KommSummer`: municipalities
  only, coded «K-3901».
* statistikkbanken-07459.csv: Statistikkbanken's «CSV» download, which asks PxWebApi for
  `outputFormat=csv&outputFormatParams=SeparatorSemicolon,IncludeTitle,UseTexts`: ISO-8859-1,
  a title line, `"region";"Personer 2024"`, rows `"3901 Horten";27939`.

The figures are kommuner.csv's; the country and county rows are its sums. The data itself is
not the project's to ship (shared/data/README.md), so only these test files are written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KOMMUNER = ROOT.parent / "shared" / "data" / "kommuner.csv"
FIXTURES = ROOT / "tests" / "fixtures"
YEAR = "2024"
TITLE = "07459: Befolkning, etter region, statistikkvariabel og år"
# SSB's order and names of the counties in its region lists, Sami and Kven forms included.
COUNTIES = [
    ("31", "Østfold"),
    ("32", "Akershus"),
    ("03", "Oslo"),
    ("33", "Buskerud"),
    ("34", "Innlandet"),
    ("39", "Vestfold"),
    ("40", "Telemark"),
    ("42", "Agder"),
    ("11", "Rogaland"),
    ("46", "Vestland"),
    ("15", "Møre og Romsdal"),
    ("50", "Trøndelag - Trööndelage"),
    ("18", "Nordland - Nordlánnda"),
    ("55", "Troms - Romsa - Tromssa"),
    ("56", "Finnmark - Finnmárku - Finmarkku"),
]
# Municipalities that no longer exist: SSB keeps them in the list, marked with their years,
# and without a figure for later years (status «.»).
ENDED = [("3001", "Halden (2020-2023)"), ("0101", "Halden (-2019)")]


def municipalities() -> list[dict[str, str]]:
    with KOMMUNER.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def regions(plain_codes: bool = True) -> list[tuple[str, str, int | None]]:
    """(code, label, population) in SSB's order."""
    rows = municipalities()
    if not plain_codes:
        return [(f"K-{r['kommunenummer']}", r["navn"], int(r["innbyggere"])) for r in rows]
    total = sum(int(r["innbyggere"]) for r in rows)
    result: list[tuple[str, str, int | None]] = [("0", "Hele landet", total)]
    for number, name in COUNTIES:
        people = sum(int(r["innbyggere"]) for r in rows if r["kommunenummer"][:2] == number)
        result.append((number, name, people))
    for number, _name in COUNTIES:
        result += [
            (r["kommunenummer"], r["navn"], int(r["innbyggere"]))
            for r in rows
            if r["kommunenummer"][:2] == number
        ]
    result += [(code, label, None) for code, label in ENDED]
    return result


def jsonstat(plain_codes: bool = True) -> bytes:
    """What PxWebApi's JsonStat2Serializer writes for the query above."""
    listed = regions(plain_codes)
    region_extension: dict = {"elimination": True, "show": "code_value"}
    if plain_codes:
        region_extension["eliminationValueCode"] = "0"
    document = {
        "version": "2.0",
        "class": "dataset",
        "label": TITLE,
        "source": "Statistisk sentralbyrå",
        "updated": "2024-02-21T07:00:00Z",
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(listed), 1, 1],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {code: i for i, (code, _l, _v) in enumerate(listed)},
                    "label": {code: label for code, label, _v in listed},
                },
                "extension": region_extension,
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {
                    "index": {"Personer1": 0},
                    "label": {"Personer1": "Personer"},
                    "unit": {"Personer1": {"base": "personer", "decimals": 0}},
                },
                "extension": {
                    "elimination": False,
                    "refperiod": {"Personer1": "1.1."},
                    "measuringType": {"Personer1": "Stock"},
                    "priceType": {"Personer1": "NotApplicable"},
                    "adjustment": {"Personer1": "None"},
                },
            },
            "Tid": {
                "label": "år",
                "category": {"index": {YEAR: 0}, "label": {YEAR: YEAR}},
                "extension": {"elimination": False, "show": "code"},
            },
        },
        "extension": {
            "px": {
                "infofile": "None",
                "tableid": "07459",
                "decimals": 0,
                "official-statistics": True,
                "aggregallowed": True,
                "language": "no",
                "contents": "07459: Befolkning,",
                "heading": ["ContentsCode", "Tid"],
                "stub": ["Region"],
            }
        },
        "value": [value for _c, _l, value in listed],
    }
    missing = {str(i): "." for i, (_c, _l, value) in enumerate(listed) if value is None}
    if missing:
        document["status"] = missing
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def statbank_csv() -> bytes:
    """What PCAxis.Serializers' CsvSerializer writes with a semicolon, title and texts.

    The row label is the value's text, which for SSB's regions is code and name («3901
    Horten»); a figure SSB does not have is its symbol («.»).
    """
    lines = [f'"{TITLE}"', f'"region";"Personer {YEAR}"']
    for code, label, value in regions():
        lines.append(f'"{code} {label}";{"." if value is None else value}')
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


FILES = {
    "ssb-07459.json": lambda: jsonstat(plain_codes=True),
    "ssb-07459-kommsummer.json": lambda: jsonstat(plain_codes=False),
    "statistikkbanken-07459.csv": statbank_csv,
}


def main() -> None:
    for name, make in FILES.items():
        (FIXTURES / name).write_bytes(make())
        print(f"Skrev {FIXTURES / name}")


if __name__ == "__main__":
    main()
