"""Importing Statistics Norway's table 07459 in the shapes users download it.

The fixtures in tests/fixtures/ are written by make_ssb_fixtures.py from shared/data/kommuner.csv
in the formats SSB's software writes (PxWebApi's JSON-stat2, Statistikkbanken's CSV).
"""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kartlegging.core.csvfiles import ImportProblems
from kartlegging.organisations.importing import import_organisations
from kartlegging.organisations.models import Organisation
from tests.organisations.make_ssb_fixtures import FILES, KOMMUNER

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
CSV_TITLE = '"07459: Befolkning, etter region, statistikkvariabel og år"\r\n'


def national() -> dict[str, tuple]:
    with KOMMUNER.open(encoding="utf-8") as file:
        return {
            r["kommunenummer"]: (r["navn"], r["fylke"], int(r["innbyggere"]), 2024, "kommune")
            for r in csv.DictReader(file)
        }


def stored() -> dict[str, tuple]:
    return {
        o.number: (o.name, o.county, o.population, o.population_year, o.kind)
        for o in Organisation.objects.all()
    }


def problems(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        import_organisations(data, **kwargs)
    return caught.value.problems


def jsonstat(regions: dict, years=("2024",), **extra) -> bytes:
    """A small dataset shaped like PxWebApi's: Region × ContentsCode × Tid."""
    values = [value for _label, by_year in regions.values() for value in by_year]
    document = {
        "version": "2.0",
        "class": "dataset",
        "label": "07459: Befolkning, etter region, statistikkvariabel og år",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(regions), 1, len(years)],
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {code: i for i, code in enumerate(regions)},
                    "label": {code: label for code, (label, _v) in regions.items()},
                },
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}},
            },
            "Tid": {
                "label": "år",
                "category": {"index": {y: i for i, y in enumerate(years)}, "label": {}},
            },
        },
        "value": values,
    }
    document.update(extra)
    return json.dumps(document, ensure_ascii=False).encode()


def statbank(*rows: str, header: str = '"region";"Personer 2024"') -> bytes:
    return (CSV_TITLE + header + "\r\n" + "".join(r + "\r\n" for r in rows)).encode("latin-1")


# --------------------------------------------------------------------------- the real formats


@pytest.mark.parametrize("name", sorted(FILES))
def test_ssb_download_imports_all_357_municipalities_with_county_and_population(name):
    result = import_organisations((FIXTURES / name).read_bytes())
    assert (result.created, result.updated, result.year) == (357, 0, 2024)
    assert stored() == national()


def test_statistikkbanken_csv_from_the_command(tmp_path):
    out = StringIO()
    call_command("import-organisations", str(FIXTURES / "statistikkbanken-07459.csv"), stdout=out)
    assert out.getvalue().strip() == (
        "Importert: 357 nye, 0 oppdatert (innbyggere 1. januar 2024, SSB-tabell 07459, CSV)."
    )
    tonsberg = Organisation.objects.get(number="3905")
    assert (tonsberg.name, tonsberg.county, tonsberg.population) == ("Tønsberg", "Vestfold", 59174)


def test_json_stat2_from_the_command_and_a_second_import_updates(horten):
    path = str(FIXTURES / "ssb-07459-kommsummer.json")
    out = StringIO()
    call_command("import-organisations", path, stdout=out)
    assert out.getvalue().strip() == (
        "Importert: 356 nye, 1 oppdatert (innbyggere 1. januar 2024, SSB-tabell 07459, JSON-stat2)."
    )
    out = StringIO()
    call_command("import-organisations", path, stdout=out)
    assert out.getvalue().startswith("Importert: 0 nye, 357 oppdatert")
    assert Organisation.objects.count() == 357


def test_the_country_counties_and_ended_municipalities_are_left_out():
    import_organisations((FIXTURES / "ssb-07459.json").read_bytes())
    numbers = set(Organisation.objects.values_list("number", flat=True))
    assert not numbers & {"0", "31", "03", "3001", "0101"}
    assert not Organisation.objects.filter(name__contains="(").exists()


def test_the_fixtures_are_what_the_generator_writes():
    for name, make in FILES.items():
        assert (FIXTURES / name).read_bytes() == make(), f"run make_ssb_fixtures.py ({name})"


def test_the_csv_fixture_is_latin_1_as_ssb_sends_it():
    data = (FIXTURES / "statistikkbanken-07459.csv").read_bytes()
    assert "Østfold".encode("latin-1") in data
    assert data.startswith(CSV_TITLE.encode("latin-1") + b'"region";"Personer 2024"\r\n')


# --------------------------------------------------------------------------- what SSB writes


def test_sami_names_are_kept_as_ssb_writes_them():
    import_organisations(
        jsonstat(
            {"5612": ("Guovdageaidnu - Kautokeino", [2839]), "K-5001": ("Trondheim", [214565])}
        )
    )
    kautokeino = Organisation.objects.get(number="5612")
    assert (kautokeino.name, kautokeino.county) == ("Guovdageaidnu - Kautokeino", "Finnmark")
    assert Organisation.objects.get(number="5001").county == "Trøndelag"


def test_newest_year_is_imported_when_the_table_has_several():
    import_organisations(jsonstat({"3901": ("Horten", [27807, 27939])}, years=("2023", "2024")))
    horten = Organisation.objects.get(number="3901")
    assert (horten.population, horten.population_year) == (27939, 2024)


def test_index_as_array_sparse_values_and_a_status_are_read_by_the_specification():
    document = json.loads(
        jsonstat({"3901": ("Horten", [27939]), "3001": ("Halden (2020-2023)", [None])})
    )
    document["dimension"]["Region"]["category"]["index"] = ["3901", "3001"]
    document["value"] = {"0": 27939}
    document["status"] = {"1": "."}
    import_organisations(json.dumps(document).encode())
    assert list(Organisation.objects.values_list("number", "population")) == [("3901", 27939)]


def test_json_stat_1_bundle_from_pxwebapi_v1():
    dataset = json.loads(jsonstat({"3901": ("Horten", [27939])}))
    dimension = dataset.pop("dimension")
    dimension.update(id=dataset.pop("id"), size=dataset.pop("size"), role=dataset.pop("role"))
    bundle = {"dataset": {"dimension": dimension, "label": dataset["label"], "value": [27939]}}
    result = import_organisations(json.dumps(bundle).encode())
    assert (result.created, result.year) == (1, 2024)


def test_statistikkbanken_csv_in_utf8_with_bom_and_commas():
    data = "\ufeff" + CSV_TITLE + '"region","Personer 2024"\n"3905 Tønsberg",59174\n'
    import_organisations(data.encode())
    assert Organisation.objects.get(number="3905").name == "Tønsberg"


def test_statistikkbanken_csv_with_years_as_columns_or_in_the_stub():
    import_organisations(
        statbank('"3901 Horten";27807;27939', header='"region";"Personer 2023";"Personer 2024"')
    )
    assert Organisation.objects.get(number="3901").population == 27939
    import_organisations(
        statbank(
            '"3901 Horten";"2024";"Personer";27940',
            '"3901 Horten";"2025";"Personer";28001',
            header='"region";"år";"statistikkvariabel";"07459: Befolkning"',
        )
    )
    horten = Organisation.objects.get(number="3901")
    assert (horten.population, horten.population_year) == (28001, 2025)


# --------------------------------------------------------------------------- malformed: nothing saved


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b'{"version": "2.0", "class": "dataset"',
            "Filen ser ut som JSON, men kan ikke leses (linje 1, tegn 38). "
            "Last ned tabellen på nytt fra SSB som JSON-stat2.",
            id="cut-off",
        ),
        pytest.param(
            b'{"resourceType": "Questionnaire"}',
            "Filen er JSON, men ikke en tabell fra SSB i JSON-stat-format. "
            "Last ned tabell 07459 som JSON-stat2.",
            id="other-json",
        ),
        pytest.param(
            b'{"class": "collection", "link": {}}',
            "Filen er en samling av flere tabeller. Last ned bare tabell 07459 som JSON-stat2.",
            id="collection",
        ),
        pytest.param(
            jsonstat({"3901": ("Horten", [27939])}, value=[1, 2]),
            "JSON-stat-tabellen er ufullstendig: dimensjonene og tallene stemmer ikke med "
            "hverandre. Last ned tabellen på nytt fra SSB.",
            id="values-do-not-fit",
        ),
        pytest.param(
            jsonstat({"3901": ("Horten", [27939])}, id=["Region", "ContentsCode", "Tid", "Kjonn"]),
            "JSON-stat-tabellen er ufullstendig: dimensjonene og tallene stemmer ikke med "
            "hverandre. Last ned tabellen på nytt fra SSB.",
            id="id-and-size-differ",
        ),
    ],
)
def test_broken_json_is_refused_in_norwegian(horten, data, message):
    assert problems(data) == [message]
    assert stored() == {"3901": ("Horten", "Vestfold", 27939, 2024, "kommune")}


def test_every_problem_of_a_json_table_is_listed_and_nothing_is_saved(horten):
    data = jsonstat(
        {
            "3901": ("Horten", [None]),
            "3903": ("Holmestrand", ["mange"]),
            "3905": ("Tønsberg", [59174]),
            "K-3905": ("Tønsberg", [59174]),
        }
    )
    assert problems(data) == [
        "Region 3903 (Holmestrand): innbyggertallet «mange» er ikke et heltall",
        "Region K-3905 (Tønsberg): kommune 3905 står to ganger i tabellen",
        "Region 3901 (Horten): mangler innbyggertall for 2024",
    ]
    assert Organisation.objects.count() == 1


def test_a_table_split_by_sex_is_refused():
    document = json.loads(jsonstat({"3901": ("Horten", [13900, 14039])}))
    document["id"] = ["Region", "Kjonn", "ContentsCode", "Tid"]
    document["size"] = [1, 2, 1, 1]
    document["dimension"]["Kjonn"] = {
        "label": "kjønn",
        "category": {"index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}},
    }
    assert problems(json.dumps(document).encode()) == [
        "Tabellen er også delt etter «kjønn». Fjern «kjønn» fra tabellen i Statistikkbanken "
        "(velg ingen verdier der), slik at tallene gjelder hele befolkningen, og last ned på nytt."
    ]
    assert not Organisation.objects.exists()


def test_quarters_and_a_year_that_was_not_asked_for_are_refused():
    assert problems(jsonstat({"3901": ("Horten", [27939])}, years=("2024K1",))) == [
        "Tidsperioden «2024K1» er ikke et år. Bruk tabellen med årstall (07459)."
    ]
    assert problems(jsonstat({"3901": ("Horten", [27939])}), year=2025) == [
        "Filen har innbyggertall for 2024, ikke for 2025. Last ned året du vil ha, eller "
        "importer uten å oppgi år."
    ]
    assert not Organisation.objects.exists()


def test_a_table_of_counties_only_has_no_municipalities():
    assert problems(jsonstat({"0": ("Hele landet", [5550203]), "39": ("Vestfold", [256432])})) == [
        "Tabellen har ingen kommuner. Velg regionene på kommunenivå («Kommuner») i "
        "Statistikkbanken og last ned på nytt."
    ]


def test_every_problem_of_a_csv_download_has_its_row_and_nothing_is_saved(horten):
    data = statbank(
        '"0 Hele landet";5550203',
        '"3901 Horten";..',
        '"3903 Holmestrand";ca. 27000',
        '"Tønsberg";59174',
        '"3001 Halden (2020-2023)";.',
    )
    assert problems(data) == [
        "Rad 6: regionen «Tønsberg» har ikke kommunenummer foran navnet. Last ned tabellen med "
        "koder og tekst, eller som JSON-stat2."
    ]
    del_row = data.replace('"Tønsberg";59174\r\n'.encode("latin-1"), b"")
    assert problems(del_row) == [
        "Rad 5: innbyggertallet «ca. 27000» er ikke et heltall",
        "Rad 4: mangler innbyggertall for 2024",
    ]
    assert stored() == {"3901": ("Horten", "Vestfold", 27939, 2024, "kommune")}


def test_a_csv_download_split_by_age_is_refused():
    data = statbank('"3901 Horten";"0 år";301', header='"region";"alder";"Personer 2024"')
    assert problems(data) == [
        "Tabellen er også delt etter «alder». Fjern «alder» fra tabellen i Statistikkbanken "
        "(velg ingen verdier der), slik at tallene gjelder hele befolkningen, og last ned på nytt."
    ]


def test_command_lists_the_rows_of_a_bad_download(tmp_path):
    path = tmp_path / "07459.csv"
    path.write_bytes(statbank('"3901 Horten";x', '"3903 Holmestrand";.'))
    with pytest.raises(CommandError) as caught:
        call_command("import-organisations", str(path), stdout=StringIO())
    assert str(caught.value) == (
        "Ingenting ble importert. Rett opp dette:\n"
        "  Rad 3: innbyggertallet «x» er ikke et heltall\n"
        "  Rad 4: mangler innbyggertall for 2024"
    )
    assert not Organisation.objects.exists()
