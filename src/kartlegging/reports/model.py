"""One report model, rendered as HTML (screen and PDF) and DOCX.

Built from inputs gathered once by reports/inputs.py (the tidy table, counts, fact
choices, scorecards) and pure functions over them: no query, no model import, never
from views. Layout follows the earlier reports our users know: results
per theme with numbered figures and the base n (as in the 2012 mapping report), then a
summary per municipality under five headings (as in the 2025 Vestfold report), free text,
and the questionnaire.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from kartlegging.analysis.anonymise import anonymous_labels
from kartlegging.analysis.frequencies import (
    DISPUTED_VALUE,
    fact_values,
    format_percent,
    format_statistic,
    frequency_table,
    percent,
    unit_label,
)
from kartlegging.analysis.profile import organisation_profile
from kartlegging.analysis.texts import free_text_by_theme
from kartlegging.organisations.sizes import size_class_label
from kartlegging.questionnaires.schema import THEMES, Questionnaire
from kartlegging.recommendations import regional
from kartlegging.recommendations.engine import DEVIATION, IN_LINE, NOT_ASSESSED, NOT_RELEVANT
from kartlegging.recommendations.service import (
    catchment_threshold,
    finding_texts,
    places,
    report_findings,
)
from kartlegging.reports.figures import (
    Figure,
    bar_chart,
    diverging_scale,
    grouped_bars,
    heat_map,
)

if TYPE_CHECKING:
    from kartlegging.reports.inputs import ReportInputs
    from kartlegging.surveys.models import Survey


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    number: int = 0

    @property
    def title(self) -> str:
        return f"Tabell {self.number}. {self.caption}" if self.number else self.caption


@dataclass
class Block:
    kind: str  # "paragraph", "table", "figure", "bullets", "quote"
    text: str = ""
    table: Table | None = None
    figure: Figure | None = None
    items: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    anchor: str = ""

    def add(self, kind: str, **kwargs) -> Block:
        block = Block(kind, **kwargs)
        self.blocks.append(block)
        return block


@dataclass
class Report:
    title: str
    subtitle: str
    author: str
    date: dt.date
    sections: list[Section]
    logo: bytes | None = None  # PNG uploaded by the leader, for the cover
    kind: str = "rapport"  # or "faktaark": two pages, no cover page or contents

    @property
    def figures(self) -> list[Figure]:
        return [b.figure for s in self.sections for b in s.blocks if b.figure]

    @property
    def logo_uri(self) -> str:
        return png_uri(self.logo)


def png_uri(png: bytes | None) -> str:
    """A PNG as a data: address for <img> (the stored report fetches nothing), or ""."""
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""


def build_report(inputs: ReportInputs, *, anonymise: bool = False) -> Report:
    """The report from inputs gathered once (reports/inputs.py); no query from here on."""
    survey, table, choices = inputs.survey, inputs.table, inputs.choices
    labels = anonymous_names(inputs) if anonymise else None
    if labels:
        table = table.assign(organisation_name=table["organisation"].map(labels))
    aggregate = is_aggregate(inputs)
    sections = [_summary(inputs, labels), _method(inputs)]
    appendices: list[Section] = []
    free_text: list[tuple[Questionnaire, pd.DataFrame]] = []
    for version in inputs.versions:
        questionnaire = version.definition
        own = table[table["questionnaire"] == questionnaire.key]
        if own.empty:
            continue
        if version.pk == survey.hospital_questionnaire_id:
            # One organisation: its answers, not percentages of one.
            sections.append(_hospital(questionnaire, own, choices))
            free_text.append((questionnaire, own))
            continue
        units = inputs.units(questionnaire)
        sections += theme_sections(questionnaire, own, choices=choices, units=units)
        if matrix := _indicator_matrix(inputs, questionnaire, own, aggregate):
            sections.append(matrix)
        if by_size := _indicators_by_size(survey, questionnaire, own, choices, units):
            sections.append(by_size)
        appendices += _profiles(questionnaire, own, choices, aggregate)
        free_text.append((questionnaire, own))
    appendices.append(_free_text(free_text, labels))
    recommendations, status = _recommendations(inputs, labels, aggregate)
    sections += recommendations
    sections += _numbered_appendices([*appendices, *status, _appendix(inputs)])
    number_parts(sections)
    return Report(
        title=survey.title,
        subtitle=_("Resultater av kartleggingen"),
        author=survey.owner_name,
        date=inputs.today,
        sections=sections,
        logo=inputs.logo,
    )


def number_parts(sections: list[Section], *, tables: bool = True) -> None:
    """«Figur N» (and «Tabell N») in reading order, and an anchor for every section."""
    blocks = [b for section in sections for b in section.blocks]
    for number, figure in enumerate((b.figure for b in blocks if b.figure), start=1):
        figure.number = number
    if tables:
        for number, table in enumerate((b.table for b in blocks if b.table), start=1):
            table.number = number
    for index, section in enumerate(sections):
        section.anchor = section.anchor or f"del-{index + 1}"


# Past this many organisations the report is aggregate (counties and size classes instead of
# a page per organisation); the per-organisation material is in the fact sheets. The Vestfold
# mapping (six municipalities and a hospital) keeps its profiles, as the 2025 report of ten
# municipalities did; a county of 46 municipalities would otherwise add some 200 pages.
AGGREGATE_ABOVE = 20
QUOTES_PER_QUESTION = 5


def is_aggregate(inputs: ReportInputs) -> bool:
    return len(inputs.organisations) > AGGREGATE_ABOVE


def _numbered_appendices(parts: list[Section]) -> list[Section]:
    """«Vedlegg A: …», «Vedlegg B: …» as main parts; what lay under a part follows it."""
    out, letter = [], 0
    for part in parts:
        if part.level == 1:
            part.title = _("Vedlegg %(letter)s: %(title)s") % {
                "letter": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[min(letter, 25)],
                "title": part.title,
            }
            letter += 1
        out.append(part)
    return out


def anonymous_names(inputs: ReportInputs) -> dict[str, str]:
    """Organisation number → «Stor kommune 1» and so on."""
    boundaries = inputs.survey.boundaries
    return anonymous_labels(
        [(o.number, o.name, o.kind, o.size_class(boundaries)) for o in inputs.organisations]
    )


def _counts(inputs: ReportInputs) -> tuple[int, int, int, int]:
    """Invited, submitted, organisations, organisations with a submitted response."""
    answered = {organisation.pk for organisation, done in inputs.respondents if done}
    return (
        len(inputs.respondents),
        sum(done for _organisation, done in inputs.respondents),
        len(inputs.organisations),
        len(answered),
    )


def _rate(part: int, whole: int) -> str:
    return format_percent(percent(part, whole))


def _summary(inputs: ReportInputs, labels: dict[str, str] | None) -> Section:
    """«Sammendrag»: the leader's text when there is one, otherwise the draft from the data."""
    text = inputs.summary.strip() or draft_summary(inputs, labels)
    if labels:
        text = _anonymised_text(text, inputs, labels)
    section = Section(_("Sammendrag"))
    for kind, content in summary_blocks(text):
        if kind == "bullets":
            section.add("bullets", items=content)
        else:
            section.add("paragraph", text=content)
    return section


def summary_blocks(text: str) -> list[tuple[str, Any]]:
    """Paragraphs (split at blank lines) and bullet lists (lines starting with «- »)."""
    blocks: list[tuple[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        prose: list[str] = []
        for line in lines:
            if line.startswith(("- ", "• ", "* ")):
                if prose:
                    blocks.append(("paragraph", " ".join(prose)))
                    prose = []
                if blocks and blocks[-1][0] == "bullets" and not prose:
                    blocks[-1][1].append(line[2:].strip())
                else:
                    blocks.append(("bullets", [line[2:].strip()]))
            else:
                prose.append(line)
        if prose:
            blocks.append(("paragraph", " ".join(prose)))
    return blocks


def _anonymised_text(text: str, inputs: ReportInputs, labels: dict[str, str]) -> str:
    """The leader's text with every organisation's name replaced by its anonymous label."""
    for organisation in sorted(inputs.organisations, key=lambda o: -len(o.name)):
        label = labels.get(organisation.number)
        if label and organisation.name:
            text = re.sub(rf"(?<!\w){re.escape(organisation.name)}(?!\w)", label, text)
    return text


# Key indicators counted in the summary: question key → (label, codes that count as in place).
SUMMARY_INDICATORS = {
    "koord_finnes": (_lazy("har kreftkoordinator"), {"ja"}),
    "team_finnes": (_lazy("har et palliativt team"), {"ja"}),
    "enhet_finnes": (_lazy("har en lindrende enhet"), {"ja"}),
    "palliativ_plan": (_lazy("bruker palliativ plan systematisk"), {"ja_systematisk"}),
    "forhandssamtaler": (_lazy("tilbyr forhåndssamtaler systematisk"), {"ja_systematisk"}),
    "esas_bruk": (_lazy("bruker ESAS-r systematisk"), {"ja_systematisk"}),
    "csnat": (_lazy("bruker CSNAT systematisk"), {"ja_systematisk"}),
}
SUMMARY_DEVIATIONS = 5
SUMMARY_NAMES = 3  # name the municipalities of a deviation when there are this few


def draft_summary(inputs: ReportInputs, labels: dict[str, str] | None = None) -> str:
    """A first «Sammendrag» from the data, for the leader to edit: response rate, the share of
    municipalities with the key services and tools, the largest deviations from the national
    recommendations, and the collaboration opportunities. Plain text as summary_blocks reads it.
    """
    invited, submitted, organisations, answered = _counts(inputs)
    parts = [
        _(
            "%(submitted)s av %(invited)s inviterte ressurspersoner svarte (%(rate)s), fra "
            "%(answered)s av %(organisations)s organisasjoner (%(org_rate)s)."
        )
        % {
            "submitted": submitted,
            "invited": invited,
            "rate": _rate(submitted, invited),
            "answered": answered,
            "organisations": organisations,
            "org_rate": _rate(answered, organisations),
        }
    ]
    if indicators := _indicator_lines(inputs):
        parts.append(_("Blant kommunene som svarte:") + "\n" + "\n".join(indicators))
    if deviations := _deviation_lines(inputs, labels):
        parts.append(
            _("De største avvikene fra nasjonale anbefalinger:") + "\n" + "\n".join(deviations)
        )
    municipalities = places(inputs.cards)
    if labels:
        for place in municipalities:
            place.name = labels.get(place.number, place.number)
    found = regional.opportunities(
        municipalities, catchment_threshold(inputs.rules, inputs.parameters)
    )
    if found:
        titles = list(dict.fromkeys(o.title for o in found))
        parts.append(
            _("Mulige samarbeid mellom kommunene:")
            + "\n"
            + "\n".join(f"- {title}" for title in titles[:SUMMARY_DEVIATIONS])
        )
    parts.append(
        _(
            "Anbefalingene står under hvert innsatsområde med målet (Slik vil vi ha det) og "
            "tiltakene (Slik gjør vi det), og hver kommune har et eget faktaark."
        )
    )
    return "\n\n".join(parts)


def _indicator_lines(inputs: ReportInputs) -> list[str]:
    if not inputs.versions:
        return []
    municipalities = {o.number for o in inputs.organisations if o.kind == "kommune"}
    facts = fact_values(inputs.units(inputs.versions[0].definition), SUMMARY_INDICATORS)
    lines = []
    for key, (label, yes) in SUMMARY_INDICATORS.items():
        answered = [v for (org, q), v in facts.items() if q == key and org in municipalities]
        if not answered:
            continue
        count = sum(v is not DISPUTED_VALUE and str(v) in yes for v in answered)
        disputed = sum(v is DISPUTED_VALUE for v in answered)
        line = _("- %(count)s av %(n)s kommuner %(what)s (%(rate)s)") % {
            "count": count,
            "n": len(answered),
            "what": label,
            "rate": _rate(count, len(answered)),
        }
        if disputed:
            line += " " + _("– ulike svar i %(n)s") % {"n": disputed}
        lines.append(line)
    return lines


def _deviation_lines(inputs: ReportInputs, labels: dict[str, str] | None) -> list[str]:
    counted: dict[str, list[str]] = {}
    assessed: dict[str, int] = {}
    for card in inputs.cards:
        if card.organisation.kind != "kommune":
            continue
        for finding in card.findings:
            if finding.status in (DEVIATION, IN_LINE):
                assessed[finding.rule.id] = assessed.get(finding.rule.id, 0) + 1
        name = labels.get(card.organisation.number, "") if labels else card.organisation.name
        for finding in report_findings(card):
            counted.setdefault(finding.rule.id, []).append(name)
    ranked = sorted(counted.items(), key=lambda item: (-len(item[1]), item[0]))
    lines = []
    for rule_id, names in ranked[:SUMMARY_DEVIATIONS]:
        rule = inputs.rules.rule(rule_id)
        line = _("- %(title)s: avvik i %(count)s av %(n)s vurderte kommuner") % {
            "title": rule.title,
            "count": len(names),
            "n": assessed.get(rule_id, len(names)),
        }
        if len(names) <= SUMMARY_NAMES:
            line += f" ({', '.join(names)})"
        lines.append(line)
    return lines


def _method(inputs: ReportInputs) -> Section:
    survey = inputs.survey
    section = Section(_("Metode og svarprosent"))
    # Local dates: an opening at 00:30 Norwegian time is that day, not the UTC day before.
    opened = date_format(timezone.localtime(survey.opened_at), "d.m.Y") if survey.opened_at else "–"
    deadline = date_format(survey.deadline, "d.m.Y") if survey.deadline else "–"
    section.add(
        "paragraph",
        text=_(
            "Spørreskjemaet ble sendt elektronisk til ressurspersoner i kommunene og "
            "helseforetaket (åpnet %(opened)s, svarfrist %(deadline)s). Hver respondent fikk en "
            "personlig lenke. Kommunene er delt i størrelser etter innbyggertall: %(sizes)s."
        )
        % {
            "opened": opened,
            "deadline": deadline,
            "sizes": ", ".join(
                size_class_label(s, survey.boundaries) for s in ("liten", "mellomstor", "stor")
            ),
        },
    )
    if inputs.rules_version:
        section.add(
            "paragraph",
            text=_(
                "Anbefalingene bygger på «%(title)s», versjon %(version)s. Kildene står i "
                "vedlegget."
            )
            % {"title": inputs.rules.title, "version": inputs.rules_version},
        )
    rows = []
    groups: dict[str, list[int]] = {}
    group_of: dict[int, str] = {}  # per organisation, not per respondent (10 000 in a county)
    for organisation, done in inputs.respondents:
        if organisation.pk not in group_of:
            size = organisation.size_class(survey.boundaries)
            group_of[organisation.pk] = (
                size_class_label(size, survey.boundaries)
                if size
                else organisation.get_kind_display()
            )
        counts = groups.setdefault(group_of[organisation.pk], [0, 0])
        counts[0] += 1
        counts[1] += done
    for name, (total, done) in sorted(groups.items()):
        rows.append([name, str(total), str(done), _rate(done, total)])
    section.add(
        "table",
        table=Table(
            _("Svarprosent etter type og størrelse"),
            [_("Gruppe"), _("Invitert"), _("Svarte"), _("Svarprosent")],
            rows,
        ),
    )
    return section


CHOICE_FIGURE_TYPES = ("enkeltvalg", "flervalg")


def theme_sections(
    questionnaire: Questionnaire,
    table: pd.DataFrame,
    prefix: str = "",
    *,
    choices=None,
    units=None,
) -> list[Section]:
    """Results per theme: a figure for the theme's scales and for each question with several
    options, then one table for the theme's other closed questions (a row per question) and
    one for its numbers, so a theme fits on a page or two instead of a table per question.

    Facts are counted per organisation (from agreed or chosen values), opinions per person.
    """
    frequencies = frequency_table(table, questionnaire, choices=choices, units=units)
    by_question = {key: rows for key, rows in frequencies.groupby("question", sort=False)}
    sections = []
    for theme, theme_label in THEMES.items():
        answered = [q for q in questionnaire.theme_questions(theme) if q.key in by_question]
        if not answered:
            continue
        section = Section(f"{prefix}{theme_label}", anchor=f"{prefix and 'hf-'}{theme}")
        if figure := scale_figure(theme_label, answered, frequencies):
            section.add("figure", figure=figure)
        closed, numbers = [], []
        for question in answered:
            rows = by_question[question.key]
            if question.type in ("heltall", "desimaltall", "prosent"):
                numbers.append((question, rows))
            elif question.type == "skala4":
                continue  # in the figure above, with its numbers as text alternative
            elif figure := question_figure(question, rows):
                section.add("figure", figure=figure)
            else:
                closed.append((question, rows))
        if closed:
            section.add("table", table=_closed_table(theme_label, closed))
        if numbers:
            section.add("table", table=_number_table(theme_label, numbers))
        sections.append(section)
    return sections


def _closed_table(theme_label: str, questions: list) -> Table:
    """A row per question: each answer as «percent (count)», and n with what it counts."""
    options: list[str] = []
    for _question, rows in questions:
        options += [o for o in rows["option_text"] if o not in options]
    body = []
    for question, rows in questions:
        cells = {
            r.option_text: f"{format_percent(r.percent)} ({int(r.count)})"
            for r in rows.itertuples()
        }
        body.append([question.text, *(cells.get(o, "–") for o in options), _base_text(rows)])
    return Table(
        _("Svar på spørsmålene om %(theme)s, i prosent av dem som svarte (antall i parentes)")
        % {"theme": theme_label.lower()},
        [_("Spørsmål"), *options, "n"],
        body,
    )


NUMBER_COLUMNS = ("mean", "median", "min", "max", "sum")


def _number_table(theme_label: str, questions: list) -> Table:
    """A row per number question: n and the statistics it has (identifiers only n)."""
    body = []
    labels: dict[str, str] = {}
    for question, rows in questions:
        values = {r.option: r for r in rows.itertuples()}
        labels |= {r.option: r.option_text for r in rows.itertuples()}
        unit = f" ({question.unit})" if question.unit else ""
        body.append(
            [
                f"{question.text}{unit}",
                _base_text(rows),
                *(
                    format_statistic(values[name].count, question) if name in values else "–"
                    for name in NUMBER_COLUMNS
                ),
            ]
        )
    defaults = {"mean": "Gjennomsnitt", "median": "Median", "min": "Minste", "max": "Største"}
    return Table(
        _("Tall om %(theme)s") % {"theme": theme_label.lower()},
        [_("Spørsmål"), "n", *(labels.get(n, defaults.get(n, "Sum")) for n in NUMBER_COLUMNS)],
        body,
    )


def scale_figure(theme_label: str, questions: list, frequencies: pd.DataFrame) -> Figure | None:
    """All 4-point scale questions of one theme in one diverging figure (None: there are none)."""
    scale = [q for q in questions if q.type == "skala4"]
    if not scale:
        return None
    shares, bases, answered = [], [], []
    labels = [o.text for o in scale[0].options]
    for question in scale:
        rows = frequencies[frequencies["question"] == question.key]
        if rows.empty:  # nobody answered it (e.g. only the required questions were answered)
            continue
        answered.append(question.text)
        shares.append([float(p or 0) for p in rows["percent"]][: len(labels)])
        bases.append(int(rows["base"].iloc[0]))
    if not answered:
        return None
    return diverging_scale(
        _("Vurderinger innen %(theme)s") % {"theme": theme_label.lower()},
        answered,
        labels,
        shares,
        bases,
    )


def question_figure(question, rows: pd.DataFrame) -> Figure | None:
    """A bar chart for a single- or multiple-choice question with at least three options."""
    if question.type not in CHOICE_FIGURE_TYPES or len(rows) < 3:
        return None
    return bar_chart(
        question.text,
        list(rows["option_text"]),
        list(rows["percent"]),
        int(rows["base"].iloc[0]),
        multiple=question.is_multiple,
    )


def split_figure(question, rows: pd.DataFrame, split_label: str) -> Figure | None:
    """Grouped bars of one closed question split into groups (rows from a split table).

    Suppressed groups (too few answers) are left out of the figure, as in the table.
    """
    if question.type not in (*CHOICE_FIGURE_TYPES, "ja_nei"):
        return None
    groups, bases = {}, {}
    for group in dict.fromkeys(rows["group"]):
        part = rows[rows["group"] == group]
        base = part["base"].iloc[0]
        if isinstance(base, str) or not base:
            continue  # "færre enn 3"
        groups[str(group)] = list(part["percent"])
        bases[str(group)] = int(base)
    if not groups:
        return None
    labels = list(dict.fromkeys(rows["option_text"]))
    return grouped_bars(f"{question.text}, {split_label}", labels, groups, bases)


# Key indicators for the regional overview: question key → (short label, what counts as yes).
INDICATORS = {
    "koord_finnes": ("Kreftkoordinator", {"ja": "Ja", "nei": "Nei"}),
    "team_finnes": ("Palliativt team", {"ja": "Ja", "under_etablering": "Delvis", "nei": "Nei"}),
    "enhet_finnes": ("Lindrende enhet", {"ja": "Ja", "nei": "Nei"}),
    "palliativ_plan": (
        "Palliativ plan",
        {"ja_systematisk": "Ja", "delvis": "Delvis", "prosjekt": "Delvis", "nei": "Nei"},
    ),
    "forhandssamtaler": (
        "Forhåndssamtaler",
        {"ja_systematisk": "Ja", "delvis": "Delvis", "nei": "Nei"},
    ),
    "lsd_hjemme": ("Livets siste dager hjemme", {"ja": "Ja", "delvis": "Delvis", "nei": "Nei"}),
    "csnat": ("CSNAT", {"ja_systematisk": "Ja", "delvis": "Delvis", "nei": "Nei"}),
    "frivillige_samarbeid": ("Frivillige", {"ja": "Ja", "nei": "Nei"}),
}


def indicator_states(
    inputs: ReportInputs, questionnaire: Questionnaire, disputed: str
) -> dict[str, dict[str, str]]:
    """Per organisation number, per key indicator it answered: «Ja», «Delvis», «Nei», or
    `disputed` when its respondents disagree (from the agreed or leader-chosen facts)."""
    states: dict[str, dict[str, str]] = {}
    for (organisation, key), value in fact_values(inputs.units(questionnaire), INDICATORS).items():
        state = disputed if value is DISPUTED_VALUE else INDICATORS[key][1].get(str(value))
        if state:
            states.setdefault(organisation, {})[key] = state
    return states


def _indicator_matrix(
    inputs: ReportInputs, questionnaire: Questionnaire, table: pd.DataFrame, aggregate: bool
) -> Section | None:
    """Organisations × key indicators, from agreed (or leader-chosen) organisation facts.

    Not at aggregate scale: the recommendations' regional overview counts them by county.
    """
    keys = [k for k in INDICATORS if questionnaire.has_question(k)]
    if not keys or table.empty or aggregate:
        return None
    states = indicator_states(inputs, questionnaire, "Uenige")  # the heat map's category
    names = table.drop_duplicates("organisation").set_index("organisation")["organisation_name"]
    rows, organisations = [], []
    for number, name in sorted(names.items(), key=lambda item: item[1]):
        own = states.get(number, {})
        organisations.append(str(name))
        rows.append([own.get(key, "–") for key in keys])
    section = Section(_("Oversikt over organisasjonene"))
    section.add(
        "paragraph",
        text=_(
            "Nøkkelindikatorer per organisasjon. «Uenige» betyr at personer fra samme organisasjon "
            "svarte ulikt og at prosjektlederen ikke har valgt hvilket svar som gjelder; «–» betyr "
            "at ingen svarte."
        ),
    )
    section.add(
        "figure",
        figure=heat_map(
            _("Nøkkelindikatorer per organisasjon"),
            organisations,
            [INDICATORS[k][0] for k in keys],
            rows,
        ),
    )
    return section


def _indicators_by_size(
    survey: Survey, questionnaire: Questionnaire, table: pd.DataFrame, choices=None, units=None
) -> Section | None:
    """The key indicators as grouped bars by size class (one value per organisation, small
    groups and the groups that would reveal them hidden)."""
    keys = [k for k in INDICATORS if questionnaire.has_question(k)]
    frequencies = frequency_table(
        table,
        questionnaire,
        by="size",
        size_boundaries=survey.boundaries,
        choices=choices,
        units=units,
    )
    figures = []
    for key in keys:
        rows = frequencies[frequencies["question"] == key]
        shown = {
            g
            for g, base in zip(rows["group"], rows["base"], strict=True)
            if not isinstance(base, str)
        }
        if len(shown) < 2:
            continue  # one size class shown says no more than the results above
        if figure := split_figure(questionnaire.question(key), rows, _("etter kommunestørrelse")):
            figures.append(figure)
    if not figures:
        return None
    section = Section(_("Nøkkelindikatorer etter kommunestørrelse"))
    section.add(
        "paragraph",
        text=_(
            "Nøkkelspørsmålene fordelt på små, mellomstore og store kommuner, i prosent av "
            "kommunene som svarte (n); hver kommune telles én gang. Størrelsesgrupper med færre "
            "enn tre kommuner er utelatt, og det samme er en gruppe som ellers kunne regnes ut "
            "fra de andre."
        ),
    )
    for figure in figures:
        section.add("figure", figure=figure)
    return section


def _base_text(rows: pd.DataFrame) -> str:
    """The base n of one question's rows with what it counts: «6 organisasjoner»."""
    return unit_label(str(rows["unit"].iloc[0]), int(rows["base"].iloc[0]))


def _profiles(
    questionnaire: Questionnaire, table: pd.DataFrame, choices, aggregate: bool = False
) -> list[Section]:
    section = Section(_("Oppsummering per organisasjon"))
    if aggregate:
        section.add(
            "paragraph",
            text=_(
                "Med så mange organisasjoner står oppsummeringen for hver kommune i kommunens "
                "faktaark, ikke i rapporten."
            ),
        )
        return [section]
    section.add(
        "paragraph",
        text=_(
            "For hver organisasjon er svarene samlet under fem overskrifter, slik som i "
            "kartleggingen av hjemmetid og hjemmedød i ti kommuner (2025)."
        ),
    )
    sections = [section]
    names = table.drop_duplicates("organisation").set_index("organisation")["organisation_name"]
    by_organisation = dict(list(table.groupby("organisation")))  # one pass, not one per profile
    for number, name in sorted(names.items(), key=lambda item: item[1]):
        organisation_section = Section(str(name), level=2)
        _add_profile(
            organisation_section,
            organisation_profile(by_organisation[number], questionnaire, number, choices),
        )
        sections.append(organisation_section)
    return sections


def _hospital(questionnaire: Questionnaire, table: pd.DataFrame, choices) -> Section:
    """The hospital's answers under the five headings (it is one organisation: a percentage
    of its one or two respondents would say nothing)."""
    section = Section(_("Helseforetaket"), anchor="helseforetaket")
    names = table.drop_duplicates("organisation").set_index("organisation")["organisation_name"]
    for number, name in sorted(names.items(), key=lambda item: str(item[1])):
        own = table[table["organisation"] == number]
        section.add(
            "paragraph",
            text=_("%(name)s (%(n)s besvarelser)") % {"name": name, "n": own["response"].nunique()},
        )
        _add_profile(section, organisation_profile(own, questionnaire, number, choices))
    return section


def _add_profile(section: Section, parts) -> None:
    for part in parts:
        items = [f"{item.question_text}: {_profile_answer(item)}" for item in part.items]
        if items:
            section.add("paragraph", text=part.heading)
            section.add("bullets", items=items)


def _profile_answer(item) -> str:
    if item.chosen_by_leader:
        return f"{item.lines[0].text} (ulike svar; prosjektleder har valgt dette)"
    if len(item.lines) == 1:
        return item.lines[0].text
    # Respondents of one organisation answered differently: show each answer and how many.
    return "; ".join(f"{line.text} ({line.respondents})" for line in item.lines)


def _free_text(parts: list[tuple[Questionnaire, pd.DataFrame]], labels) -> Section:
    """Per free-text question how many answered and a few quotes; every answer is in the
    exports (a report of 10 000 responses would otherwise list 100 000 quotes)."""
    section = Section(_("Fritekstsvar"))
    section.add(
        "paragraph",
        text=_(
            "For hvert spørsmål med fritekst står antall svar og inntil %(n)s av de lengste "
            "svarene. Alle svarene står i eksporten av svarene (Excel eller CSV)."
        )
        % {"n": QUOTES_PER_QUESTION},
    )
    for questionnaire, table in parts:
        if len(parts) > 1:
            section.add("paragraph", text=questionnaire.title)
        _quotes(section, questionnaire, table, labels)
    return section


def _quotes(section: Section, questionnaire: Questionnaire, table: pd.DataFrame, labels) -> None:
    for theme in free_text_by_theme(table, questionnaire, labels):
        for question in theme.questions:
            entries = question.entries
            quoted = sorted(entries, key=lambda e: -len(e.text))[:QUOTES_PER_QUESTION]
            section.add(
                "paragraph",
                text=_("%(theme)s – %(question)s (%(n)s svar)")
                % {
                    "theme": theme.theme_label,
                    "question": question.question_text,
                    "n": len(entries),
                },
            )
            section.add(
                "bullets",
                items=[
                    f"«{entry.text}» ({entry.organisation}, "
                    f"{entry.respondent_role or _('ukjent rolle')})"
                    for entry in quoted
                ],
            )


def _recommendations(
    inputs: ReportInputs, labels, aggregate: bool = False
) -> tuple[list[Section], list[Section]]:
    """Per theme the challenge, «Slik vil vi ha det», «Slik gjør vi det» (the shape of the
    Vestfold action plans) for the national recommendations; local proposals the project
    leader has turned on follow in a section of their own, labelled as such.

    Then the regional matrix and the collaboration opportunities; the scorecard per
    organisation and the sources come back apart, as appendices. At aggregate scale the
    organisations are counted by county instead of named, and the scorecards are left to
    the fact sheets. Dismissed findings are left out; edited ones use the leader's words.
    Sources are shown by title, part and link, never with the rules file's verification
    notes. Rules no questionnaire of the survey asks about are left out, with one line
    saying so.
    """
    rules, parameters, cards = inputs.rules, inputs.parameters, inputs.cards
    if not any(card.responses for card in cards):
        return [], []

    def name(card) -> str:
        number = card.organisation.number
        return labels.get(number, number) if labels else card.organisation.name

    intro = Section(_("Anbefalinger"))
    intro.add(
        "paragraph",
        text=_(
            "Svarene fra hver organisasjon er vurdert mot anbefalinger i nasjonale føringer for "
            "palliasjon: kommunene mot anbefalingene for kommuner, helseforetaket mot "
            "anbefalingene for helseforetaket. For hvert avvik står utfordringen vi fant, målet "
            "(Slik vil vi ha det) og tiltakene (Slik gjør vi det), med kilder. Funn som "
            "prosjektlederen har avvist, er ikke med."
        ),
    )
    if line := _left_out_line(cards):
        intro.add("paragraph", text=line)
    sections = [intro]
    deviations = {card.organisation.number: report_findings(card) for card in cards}
    cited: dict[str, object] = {}

    def add_findings(section: Section, rule) -> None:
        # Organisations with the same wording share one table.
        groups: dict[tuple[str, str], list[str]] = {}
        for card in cards:
            for finding in deviations[card.organisation.number]:
                if finding.rule.id == rule.id:
                    groups.setdefault(finding_texts(finding), []).append(card)
        kind = rule.basis_label if rule.local else rule.severity_label
        for (finding_text, recommendation), names in groups.items():
            section.add(
                "table",
                table=Table(
                    f"{rule.id} {rule.title} ({kind.lower()})",
                    [_("Del"), _("Tekst")],
                    [
                        [_("Gjelder"), _applies_to(names, name)],
                        [_("Utfordring"), finding_text],
                        [_("Slik vil vi ha det"), rule.goal],
                        [_("Slik gjør vi det"), recommendation],
                        [_("Kilder"), rule.sources_text],
                    ],
                ),
            )
            cited.update({c.source.id: c.source for c in rule.citations})

    for theme, theme_label in THEMES.items():
        theme_section = Section(theme_label, level=2)
        for rule in (r for r in rules.rules if r.theme == theme and not r.local):
            add_findings(theme_section, rule)
        if theme_section.blocks:
            sections.append(theme_section)
    local = Section(_("Lokale forslag – ikke nasjonal norm"), level=2)
    for rule in (r for r in rules.rules if r.local):
        add_findings(local, rule)
    if local.blocks:
        local.blocks.insert(
            0,
            Block(
                "paragraph",
                text=_(
                    "Disse forslagene har prosjektet valgt selv. De bygger ikke på en nasjonal "
                    "norm og er ikke med blant funnene over."
                ),
            ),
        )
        sections.append(local)
    scorecard = Section(_("Status per organisasjon"))
    scorecard.add(
        "paragraph",
        text=_(
            "Alle anbefalinger per organisasjon: avvik, i tråd med anbefaling, eller ikke vurdert "
            "fordi svar mangler, er «Vet ikke» eller er uenige (spørsmålene står i siste kolonne). "
            "Anbefalinger som ikke er relevante (for eksempel bemanning av en enhet kommunen ikke "
            "har), er utelatt."
        ),
    )
    if aggregate:
        scorecard.blocks = []
        scorecard.add(
            "paragraph",
            text=_(
                "Med så mange organisasjoner står status for hver kommune i kommunens faktaark "
                "og i nedlastingen av anbefalingene (CSV eller JSON), ikke i rapporten."
            ),
        )
    for card in [] if aggregate else cards:
        shown = set(id(f) for f in deviations[card.organisation.number])
        rows = []
        for finding in card.findings:
            if finding.status == NOT_RELEVANT:
                continue
            status = finding.status_label
            if finding.status == DEVIATION and id(finding) not in shown:
                status = _("Avvik (avvist av prosjektleder)")
            elif finding.decision and finding.status == DEVIATION:
                status += f" ({finding.decision.get_action_display().lower()})"
            if finding.status == NOT_ASSESSED:
                behind = finding.reason
            else:
                behind = "; ".join(f"{i.label}: {i.text}" for i in finding.inputs if i.usable)
            title = f"{finding.rule.id} {finding.rule.title}"
            if finding.rule.local:
                title += f" ({finding.rule.basis_label.lower()})"
            rows.append([title, status, behind or "–"])
        scorecard.add(
            "table",
            table=Table(
                _("%(name)s (%(n)s besvarelser)") % {"name": name(card), "n": card.responses},
                [_("Anbefaling"), _("Status"), _("Svar")],
                rows,
            ),
        )
    municipalities = places(cards)
    if labels:
        for place in municipalities:
            place.name = labels.get(place.number, place.number)
    header, matrix_rows = regional.matrix(municipalities)
    region = Section(_("Regional oversikt og mulige samarbeid"), level=2)
    if aggregate:
        region.add("table", table=_county_matrix(header, matrix_rows))
    else:
        region.add(
            "table",
            table=Table(
                _("Kommuner × nøkkelindikatorer («–»: svar mangler, er «Vet ikke» eller uenige)"),
                [_("Kommune"), *header],
                [[place.name, *(cell.text for cell in cells)] for place, cells in matrix_rows],
            ),
        )
    found = regional.opportunities(municipalities, catchment_threshold(rules, parameters))
    for opportunity in found[:OPPORTUNITIES_IN_REPORT] if aggregate else found:
        region.add("paragraph", text=f"{opportunity.title}. {opportunity.text}")
        region.add("bullets", items=opportunity.answers)
    if aggregate and len(found) > OPPORTUNITIES_IN_REPORT:
        region.add(
            "paragraph",
            text=_("%(n)s flere mulige samarbeid står i faktaarkene for kommunene de gjelder.")
            % {"n": len(found) - OPPORTUNITIES_IN_REPORT},
        )
    sections.append(region)
    appendices = [scorecard]
    if cited:
        sources = Section(_("Kilder for anbefalingene"))
        sources.add(
            "bullets",
            items=[
                f"{s.title}{f' ({s.url})' if s.url else ''}"
                for s in sorted(cited.values(), key=lambda s: s.id)
            ],
        )
        appendices.append(sources)
    return sections, appendices


OPPORTUNITIES_IN_REPORT = 20
NAMES_IN_A_TABLE = 12


def _applies_to(cards, name) -> str:
    """The organisations a finding applies to: by name, or counted by county when many."""
    if len(cards) <= NAMES_IN_A_TABLE:
        return ", ".join(name(card) for card in cards)
    counties: dict[str, int] = {}
    for card in cards:
        county = card.organisation.county or _("uten fylke")
        counties[county] = counties.get(county, 0) + 1
    by_county = ", ".join(f"{county} {n}" for county, n in sorted(counties.items()))
    return _("%(n)s kommuner (%(counties)s)") % {"n": len(cards), "counties": by_county}


def _county_matrix(header: list[str], rows) -> Table:
    """Counties × key indicators: how many of the county's municipalities have it in place."""
    counties: dict[str, list[list[str]]] = {}
    for place, cells in rows:
        counties.setdefault(place.county or _("Uten fylke"), []).append(
            [cell.level for cell in cells]
        )
    body = []
    for county, levels in sorted(counties.items()):
        line = [f"{county} ({len(levels)})"]
        for column in range(len(header)):
            column_levels = [row[column] for row in levels]
            answered = sum(level != regional.UNKNOWN_LEVEL for level in column_levels)
            yes = sum(level == regional.YES for level in column_levels)
            line.append(f"{yes} av {answered}" if answered else "–")
        body.append(line)
    return Table(
        _(
            "Fylker × nøkkelindikatorer: antall kommuner med tiltaket av dem som svarte "
            "(antall kommuner i fylket i parentes)"
        ),
        [_("Fylke"), *header],
        body,
    )


def _left_out_line(cards) -> str:
    """One line for the rules no questionnaire of the survey asks about (or "")."""
    skipped = cards[0].left_out if cards else ()
    if not skipped:
        return ""
    return ngettext(
        "%(n)s anbefaling kunne ikke vurderes fordi spørreskjemaet ikke spør om det den "
        "bygger på: %(rules)s.",
        "%(n)s anbefalinger kunne ikke vurderes fordi spørreskjemaet ikke spør om det de "
        "bygger på: %(rules)s.",
        len(skipped),
    ) % {"n": len(skipped), "rules": ", ".join(f"{r.id} {r.title}" for r in skipped)}


def _appendix(inputs: ReportInputs) -> Section:
    section = Section(_("Spørreskjemaet"))
    for version in inputs.versions:
        questionnaire = version.definition
        section.add(
            "paragraph",
            text=_("%(title)s (versjon %(version)s)")
            % {"title": questionnaire.title, "version": version.version},
        )
        for part in questionnaire.sections:
            items = []
            for question in part.questions:
                options = (
                    f" [{' / '.join(o.text for o in question.options)}]" if question.options else ""
                )
                items.append(f"{question.text}{options}")
            section.add("paragraph", text=part.title)
            section.add("bullets", items=items)
    return section
