"""A fact sheet per municipality («Faktaark») for the meeting with the municipal leaders.

About two A4 pages, built as a Report (the model of the full report), so the same renderers
make its PDF and Word file: the key indicators beside the county and the municipalities of
the same size (a table and a figure), strengths, deviations with what to do, and the
collaboration opportunities that involve the municipality. Pure, like reports/model.py:
built from the inputs gathered once, no query.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kartlegging.analysis.frequencies import format_percent, percent
from kartlegging.organisations.sizes import size_class_label
from kartlegging.recommendations import regional
from kartlegging.recommendations.engine import DEVIATION, IN_LINE
from kartlegging.recommendations.service import (
    catchment_threshold,
    finding_texts,
    places,
    report_findings,
)
from kartlegging.reports.figures import grouped_bars
from kartlegging.reports.model import (
    INDICATORS,
    Report,
    Section,
    Table,
    anonymous_names,
    indicator_states,
    number_parts,
)

if TYPE_CHECKING:
    from kartlegging.organisations.models import Organisation
    from kartlegging.reports.inputs import ReportInputs

DISPUTED = "Ulike svar"
DETAILED_DEVIATIONS = 4  # with their texts; more are listed by title to keep two pages
STRENGTHS = 8
SEVERITY_ORDER = {"lovkrav": 0, "anbefales": 1, "bor_vurderes": 2}


@dataclass
class FactSheet:
    organisation: Organisation
    name: str  # as printed (an anonymous label when anonymised)
    report: Report

    @property
    def filename_stem(self) -> str:
        slug = re.sub(r"[^a-z0-9æøå]+", "-", self.name.lower()).strip("-")
        return f"faktaark-{self.organisation.number}-{slug}" if slug else "faktaark"


def factsheets(
    inputs: ReportInputs, *, anonymise: bool = False, only: str | None = None
) -> list[FactSheet]:
    """One fact sheet per municipality of the survey (or only the one numbered `only`)."""
    labels = anonymous_names(inputs) if anonymise else {}
    states = (
        indicator_states(inputs, inputs.versions[0].definition, DISPUTED) if inputs.versions else {}
    )
    answered: dict[str, list[bool]] = {}  # per organisation: submitted? per respondent
    for respondent_of, done in inputs.respondents:
        answered.setdefault(respondent_of.number, []).append(done)
    municipalities = [o for o in inputs.organisations if o.kind == "kommune"]
    cards = {card.organisation.number: card for card in inputs.cards}
    found = _opportunities(inputs, labels)
    sheets = []
    for organisation in sorted(municipalities, key=lambda o: o.number):
        if only is not None and organisation.number != only:
            continue
        name = labels.get(organisation.number, organisation.name)
        sections = [
            _indicators(
                inputs,
                organisation,
                name,
                municipalities,
                states,
                answered.get(organisation.number, []),
            ),
            *_assessment(cards.get(organisation.number)),
            _collaboration(name, found),
        ]
        report = Report(
            title=_("Faktaark: %(name)s") % {"name": name},
            subtitle=inputs.survey.title,
            author=inputs.survey.owner_name,
            date=inputs.today,
            sections=[s for s in sections if s.blocks],
            logo=inputs.logo,
            kind="faktaark",
        )
        number_parts(report.sections, tables=False)
        sheets.append(FactSheet(organisation, name, report))
    return sheets


def _share(members: list[Organisation], states, key: str) -> tuple[int, int]:
    """(how many have it, how many answered) among the members; disputed facts count as
    answered but not as having it."""
    answered = [states[o.number][key] for o in members if key in states.get(o.number, {})]
    return sum(value == "Ja" for value in answered), len(answered)


def _indicators(
    inputs: ReportInputs,
    organisation: Organisation,
    name: str,
    municipalities: list[Organisation],
    states: dict[str, dict[str, str]],
    invited: list[bool],  # per respondent of the municipality: submitted?
) -> Section:
    boundaries = inputs.survey.boundaries
    size = organisation.size_class(boundaries)
    county = [o for o in municipalities if o.county == organisation.county]
    same_size = [o for o in municipalities if o.size_class(boundaries) == size]
    county_label = organisation.county or _("Alle kommunene")
    size_label = size_class_label(size, boundaries) if size else _("Samme størrelse")
    section = Section(_("Nøkkeltall"))
    section.add(
        "paragraph",
        text=_(
            "%(done)s av %(invited)s inviterte fra kommunen svarte. Tallene for fylket og for "
            "kommuner av samme størrelse er andelen av kommunene i kartleggingen som svarte "
            "«ja»; hver kommune telles én gang."
        )
        % {"done": sum(invited), "invited": len(invited)},
    )
    keys = [key for key in INDICATORS if any(key in s for s in states.values())]
    if not keys:
        section.add("paragraph", text=_("Ingen svar på nøkkelspørsmålene ennå."))
        return section
    groups = {str(county_label): county}
    if {o.number for o in same_size} != {o.number for o in county}:
        groups[str(size_label)] = same_size  # in Vestfold every municipality is large: one
    own = states.get(organisation.number, {})
    rows, labels = [], []
    shares: dict[str, list[float | None]] = {group: [] for group in groups}
    for key in keys:
        label = str(INDICATORS[key][0])
        row = [label, own.get(key, "–")]
        for group, members in groups.items():
            count, answered = _share(members, states, key)
            row.append(_fraction(count, answered))
            shares[group].append(percent(count, answered))
        rows.append(row)
        labels.append(f"{label} ({name}: {own.get(key, '–')})")
    section.add(
        "table",
        table=Table(
            _("Nøkkeltall for %(name)s sammenlignet med andre kommuner") % {"name": name},
            [_("Tiltak"), name, *groups],
            rows,
        ),
    )
    bases = {
        group: sum(bool(states.get(o.number)) for o in members) for group, members in groups.items()
    }
    section.add(
        "figure",
        figure=grouped_bars(
            _("Andel kommuner med tiltaket, med svaret fra %(name)s i parentes") % {"name": name},
            labels,
            shares,
            bases,
            bar_inches=0.2,  # two pages in all
            overlapping=True,
        ),
    )
    return section


def _fraction(part: int, whole: int) -> str:
    return f"{part} av {whole} ({format_percent(percent(part, whole))})" if whole else "–"


def _assessment(card) -> list[Section]:
    """Strengths (recommendations already followed) and deviations with what to do."""
    if card is None or not card.responses:
        section = Section(_("Vurdering mot nasjonale anbefalinger"))
        section.add("paragraph", text=_("Kommunen har ikke sendt inn svar ennå."))
        return [section]
    strengths = Section(_("Styrker"))
    followed = [f.rule.title for f in card.findings if f.status == IN_LINE]
    if followed:
        strengths.add(
            "paragraph",
            text=_(
                "Kommunen er i tråd med %(n)s av de nasjonale anbefalingene, blant annet: %(titles)s."
            )
            % {"n": len(followed), "titles": ", ".join(followed[:STRENGTHS])},
        )
    deviations = Section(_("Avvik og anbefalinger"))
    found = sorted(
        report_findings(card), key=lambda f: (SEVERITY_ORDER.get(f.rule.severity, 9), f.rule.id)
    )
    if found:
        deviations.add(
            "paragraph",
            text=_(
                "De viktigste avvikene, lovkrav først. Målene og kildene for hver anbefaling "
                "står i rapporten."
            ),
        )
    else:
        deviations.add("paragraph", text=_("Ingen avvik fra anbefalingene som kunne vurderes."))
    for finding in found[:DETAILED_DEVIATIONS]:
        text, recommendation = finding_texts(finding)
        deviations.add(
            "table",
            table=Table(
                _deviation_title(finding.rule),
                [_("Del"), _("Tekst")],
                [[_("Utfordring"), text], [_("Slik gjør vi det"), recommendation]],
            ),
        )
    if rest := found[DETAILED_DEVIATIONS:]:
        deviations.add(
            "paragraph",
            text=_("Flere avvik, beskrevet i rapporten: %(titles)s.")
            % {"titles": ", ".join(f.rule.title for f in rest)},
        )
    not_assessed = sum(f.status not in (DEVIATION, IN_LINE, "ikke_relevant") for f in card.findings)
    if not_assessed:
        deviations.add(
            "paragraph",
            text=_(
                "%(n)s anbefalinger kunne ikke vurderes fordi svar mangler, er «Vet ikke» eller "
                "er ulike."
            )
            % {"n": not_assessed},
        )
    return [strengths, deviations]


def _deviation_title(rule) -> str:
    """«Tittel (anbefales)»; a local proposal says that it is one."""
    kind = (
        f"{rule.severity_label.lower()}; {rule.basis_label.lower()}"
        if rule.local
        else (rule.severity_label.lower())
    )
    return f"{rule.title} ({kind})"


def _opportunities(inputs: ReportInputs, labels: dict[str, str]) -> list[regional.Opportunity]:
    municipalities = places(inputs.cards)
    for place in municipalities:
        place.name = labels.get(place.number, place.name)
    return regional.opportunities(
        municipalities, catchment_threshold(inputs.rules, inputs.parameters)
    )


def _collaboration(name: str, found: list[regional.Opportunity]) -> Section:
    section = Section(_("Mulige samarbeid med andre kommuner"))
    for opportunity in (o for o in found if name in o.organisations):
        section.add("paragraph", text=f"{opportunity.title}. {opportunity.text}")
    return section


def factsheets_zip(
    sheets: list[FactSheet], renderers: dict[str, Callable[[Report], bytes]]
) -> bytes:
    """All fact sheets in one ZIP: a file per municipality and format (suffix → renderer)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets:
            for suffix, render in renderers.items():
                archive.writestr(f"{sheet.filename_stem}.{suffix}", render(sheet.report))
    return out.getvalue()
