"""The regional view: organisations × key indicators, and where they could work together.

Pure functions over each organisation's inputs (see service.organisation_inputs).
Collaboration is looked for within a county, since we have no map of which
municipalities border each other; every opportunity names the organisations
and the answers behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kartlegging.recommendations.engine import Input, format_number

YES, PARTLY, NO, UNKNOWN_LEVEL = "ja", "delvis", "nei", "ukjent"
LEVEL_WORDS = {YES: "Ja", PARTLY: "Delvis", NO: "Nei", UNKNOWN_LEVEL: "–"}


@dataclass
class Place:
    """One organisation as the regional view sees it."""

    number: str
    name: str
    county: str
    inputs: dict[str, Input]

    def value(self, key: str):
        found = self.inputs.get(key)
        return found.value if found is not None and found.usable else None

    def text(self, key: str) -> str:
        found = self.inputs.get(key)
        return found.text if found is not None and found.usable else "–"


@dataclass(frozen=True)
class Cell:
    level: str
    text: str


@dataclass
class Opportunity:
    kind: str  # "senger", "terskel", "mentor"
    title: str
    text: str
    organisations: list[str]
    answers: list[str] = field(default_factory=list)  # "Horten: Lindrende enhet = Ja (6 senger)"


def _codes(place: Place, key: str) -> set[str]:
    value = place.value(key)
    if value is None:
        return set()
    return {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}


def _graded(key: str, yes: set[str], partly: set[str]) -> Callable[[Place], Cell]:
    def cell(place: Place) -> Cell:
        codes = _codes(place, key)
        if not codes:
            return Cell(UNKNOWN_LEVEL, "–")
        level = YES if codes & yes else PARTLY if codes & partly else NO
        return Cell(level, place.text(key))

    return cell


def _coordinator(place: Place) -> Cell:
    codes = _codes(place, "koord_finnes")
    if not codes:
        return Cell(UNKNOWN_LEVEL, "–")
    if "ja" in codes:
        pct = place.value("koord_stilling_pct")
        return Cell(YES, f"Ja, {format_number(pct)} %" if pct is not None else "Ja")
    return Cell(NO, "Nei")


def _beds_text(count) -> str:
    return f"{format_number(count)} {'seng' if count == 1 else 'senger'}"


def _unit(place: Place) -> Cell:
    beds = place.value("enhet_senger")
    earmarked = place.value("oremerkede_senger") or 0
    if "ja" in _codes(place, "enhet_finnes"):
        return Cell(YES, f"Ja, {_beds_text(beds)}" if beds is not None else "Ja")
    if earmarked:
        return Cell(PARTLY, f"{_beds_text(earmarked)} øremerket")
    if "nei" in _codes(place, "enhet_finnes"):
        return Cell(NO, "Nei")
    return Cell(UNKNOWN_LEVEL, "–")


def beds_per_10000(place: Place) -> float | None:
    """Palliative beds (unit + earmarked) per 10 000 inhabitants; information, not a norm."""
    population = place.value("innbyggere")
    if not population:
        return None
    has_unit = place.value("enhet_finnes")
    if has_unit is None or (has_unit == "ja" and place.value("enhet_senger") is None):
        return None  # the number of beds is not known
    beds = (place.value("enhet_senger") or 0) + (place.value("oremerkede_senger") or 0)
    return round(10000 * beds / population, 1)


def _beds(place: Place) -> Cell:
    ratio = beds_per_10000(place)
    return Cell(UNKNOWN_LEVEL, "–") if ratio is None else Cell("info", format_number(ratio))


def _last_days(place: Place) -> Cell:
    codes = _codes(place, "lsd_hjemme") | _codes(place, "lsd_sykehjem")
    if not codes:
        return Cell(UNKNOWN_LEVEL, "–")
    both = _codes(place, "lsd_hjemme") == {"ja"} and _codes(place, "lsd_sykehjem") == {"ja"}
    level = YES if both else PARTLY if codes & {"ja", "delvis"} else NO
    return Cell(level, LEVEL_WORDS[level])


def _identification(place: Place) -> Cell:
    codes = _codes(place, "ident_verktoy")
    if not codes:
        return Cell(UNKNOWN_LEVEL, "–")
    if "spict" in codes:
        return Cell(YES, "SPICT")
    if codes & {"overraskelsessporsmalet", "annet"}:
        return Cell(PARTLY, "Annet verktøy")
    return Cell(NO, "Nei")


SYSTEMATIC = {"ja_systematisk"}
# (label, cell function, used to look for mentors)
INDICATORS: list[tuple[str, Callable[[Place], Cell], bool]] = [
    ("Koordinator", _coordinator, False),
    ("Palliativt team", _graded("team_finnes", {"ja"}, {"under_etablering"}), False),
    ("Lindrende enhet", _unit, False),
    ("Senger per 10 000", _beds, False),
    ("Palliativ plan", _graded("palliativ_plan", SYSTEMATIC, {"delvis", "prosjekt"}), True),
    ("Forhåndssamtaler", _graded("forhandssamtaler", SYSTEMATIC, {"delvis"}), True),
    ("Livets siste dager", _last_days, True),
    ("Identifisering (SPICT)", _identification, True),
    ("ESAS-r", _graded("esas_bruk", SYSTEMATIC, {"delvis"}), True),
    ("CSNAT", _graded("csnat", SYSTEMATIC, {"delvis"}), True),
    ("Frivillige", _graded("frivillige_samarbeid", {"ja"}, set()), False),
]


def matrix(places: list[Place]) -> tuple[list[str], list[tuple[Place, list[Cell]]]]:
    """Header (indicator labels) and one row of cells per organisation."""
    return (
        [label for label, _cell, _mentor in INDICATORS],
        [(place, [cell(place) for _label, cell, _mentor in INDICATORS]) for place in places],
    )


def opportunities(places: list[Place], threshold: float = 50000) -> list[Opportunity]:
    """Collaboration opportunities within each county, in a stable order."""
    found: list[Opportunity] = []
    counties: dict[str, list[Place]] = {}
    for place in places:
        counties.setdefault(place.county or "", []).append(place)
    for county, members in sorted(counties.items()):
        found += _shared_beds(members)
        found += _together_over_threshold(county, members, threshold)
        found += _mentors(members)
    return found


def _shared_beds(members: list[Place]) -> list[Opportunity]:
    with_unit = [p for p in members if _unit(p).level == YES]
    without = [p for p in members if _unit(p).level == NO]
    if not with_unit or not without:
        return []
    hosts = _join(
        [
            f"{p.name} ({_beds_text(p.value('enhet_senger'))})"
            if p.value("enhet_senger") is not None
            else p.name
            for p in with_unit
        ]
    )
    out = []
    for place in without:
        out.append(
            Opportunity(
                "senger",
                f"Lindrende senger for {place.name}",
                f"{place.name} har verken lindrende enhet eller øremerkede senger. "
                f"{hosts} {'har' if len(with_unit) == 1 else 'har hver sin'} lindrende enhet. Vurder en avtale om bruk av plasser "
                f"eller en interkommunal enhet.",
                [place.name, *(p.name for p in with_unit)],
                [f"{place.name}: lindrende enhet = Nei"]
                + [f"{p.name}: lindrende enhet = {_unit(p).text}" for p in with_unit],
            )
        )
    return out


def _together_over_threshold(
    county: str, members: list[Place], threshold: float
) -> list[Opportunity]:
    small = [
        p
        for p in members
        if p.value("innbyggere") is not None
        and p.value("innbyggere") < threshold
        and _codes(p, "team_finnes") & {"nei", "under_etablering"}
    ]
    total = sum(p.value("innbyggere") for p in small)
    if len(small) < 2 or total < threshold:
        return []
    small.sort(key=lambda p: -p.value("innbyggere"))
    names = [p.name for p in small]
    where = f" i {county}" if county else ""
    return [
        Opportunity(
            "terskel",
            f"Felles palliativt team{where}",
            f"{_join(names)} har hver under {format_number(threshold)} innbyggere og ikke et "
            f"etablert palliativt team, men har til sammen {format_number(total)} innbyggere. "
            # GUIDELINES §5: a committee's proposal («anslagsvis»), not a national norm.
            f"NOU 2017:16 foreslår kommunale palliative sentre med tilknyttet team der "
            f"nedslagsfeltet er over anslagsvis {format_number(threshold)} innbyggere. "
            f"Vurder et interkommunalt samarbeid.",
            names,
            [
                f"{p.name}: {p.text('innbyggere')} innbyggere, palliativt team = "
                f"{p.text('team_finnes')}"
                for p in small
            ],
        )
    ]


def _mentors(members: list[Place]) -> list[Opportunity]:
    out = []
    for label, cell, mentor in INDICATORS:
        if not mentor:
            continue
        cells = {p.number: cell(p) for p in members}
        good = [p for p in members if cells[p.number].level == YES]
        lacking = [p for p in members if cells[p.number].level == NO]
        if not good or not lacking:
            continue
        out.append(
            Opportunity(
                "mentor",
                f"{label}: lær av hverandre",
                f"{_join([p.name for p in good])} har tatt i bruk {label.lower()} systematisk; "
                f"{_join([p.name for p in lacking])} har ikke. "
                f"{good[0].name} kan være mentor, for eksempel med hospitering og felles opplæring.",
                [p.name for p in good + lacking],
                [f"{p.name}: {label} = {cells[p.number].text}" for p in good + lacking],
            )
        )
    return out


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"
