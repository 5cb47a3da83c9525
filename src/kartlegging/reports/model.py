"""One report model, rendered as HTML (screen and PDF) and DOCX.

Built from inputs gathered once by reports/inputs.py (the tidy table, counts, fact
choices, scorecards) and pure functions over them: no query, no model import, never
from views. Layout follows the earlier reports our users know: results
per theme with numbered figures and the base n (as in the 2012 mapping report), then a
summary per municipality under five headings (as in the 2025 Vestfold report), free text,
and the questionnaire.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format

from kartlegging.analysis.anonymise import anonymous_labels
from kartlegging.analysis.facts import organisation_facts
from kartlegging.analysis.frequencies import (
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
from kartlegging.recommendations.engine import DEVIATION, NOT_RELEVANT
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

    @property
    def figures(self) -> list[Figure]:
        return [b.figure for s in self.sections for b in s.blocks if b.figure]


def build_report(inputs: ReportInputs, *, anonymise: bool = False) -> Report:
    """The report from inputs gathered once (reports/inputs.py); no query from here on."""
    survey, table, choices = inputs.survey, inputs.table, inputs.choices
    labels = _labels(inputs) if anonymise else None
    if labels:
        table = table.assign(organisation_name=table["organisation"].map(labels))
    sections = [_summary(inputs), _method(inputs)]
    for version in inputs.versions:
        questionnaire = version.definition
        own = table[table["questionnaire"] == questionnaire.key]
        if own.empty:
            continue
        hospital = version.pk == survey.hospital_questionnaire_id
        sections += theme_sections(
            questionnaire, own, "Helseforetaket – " if hospital else "", choices=choices
        )
        if not hospital and (matrix := _indicator_matrix(questionnaire, own, choices)):
            sections.append(matrix)
        if not hospital and (by_size := _indicators_by_size(survey, questionnaire, own, choices)):
            sections.append(by_size)
        sections += _profiles(questionnaire, own, choices)
        sections.append(_free_text(questionnaire, own, labels))
    sections += _recommendations(inputs, labels)
    sections.append(_appendix(inputs))
    for number, figure in enumerate(
        (b.figure for s in sections for b in s.blocks if b.figure), start=1
    ):
        figure.number = number
    for index, section in enumerate(sections):
        section.anchor = section.anchor or f"del-{index + 1}"
    return Report(
        title=survey.title,
        subtitle="Resultater av kartleggingen",
        author=survey.owner_name,
        date=inputs.today,
        sections=sections,
    )


def _labels(inputs: ReportInputs) -> dict[str, str]:
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


def _summary(inputs: ReportInputs) -> Section:
    invited, submitted, organisations, answered = _counts(inputs)
    section = Section("Sammendrag")
    section.add(
        "paragraph",
        text=(
            f"{submitted} av {invited} inviterte ressurspersoner svarte ({_rate(submitted, invited)}). "
            f"Svarene kommer fra {answered} av {organisations} organisasjoner "
            f"({_rate(answered, organisations)})."
        ),
    )
    section.add(
        "paragraph",
        text=(
            "Resultatene er ordnet etter de seks innsatsområdene i Meld. St. 24 (2019–2020) "
            "Lindrende behandling og omsorg, i tillegg til organisering. Alle prosenter er oppgitt "
            "med antall som svarte på spørsmålet (n). Fakta om kommunen (for eksempel om den har "
            "kreftkoordinator) telles én gang per kommune; vurderinger telles per person. Grupper "
            "med færre enn tre svar vises ikke."
        ),
    )
    return section


def _method(inputs: ReportInputs) -> Section:
    survey = inputs.survey
    section = Section("Metode og svarprosent")
    # Local dates: an opening at 00:30 Norwegian time is that day, not the UTC day before.
    opened = date_format(timezone.localtime(survey.opened_at), "d.m.Y") if survey.opened_at else "–"
    deadline = date_format(survey.deadline, "d.m.Y") if survey.deadline else "–"
    section.add(
        "paragraph",
        text=(
            f"Spørreskjemaet ble sendt elektronisk til ressurspersoner i kommunene og helseforetaket "
            f"(åpnet {opened}, svarfrist {deadline}). Hver respondent fikk en personlig lenke. "
            f"Kommunene er delt i størrelser etter innbyggertall: "
            f"{', '.join(size_class_label(s, survey.boundaries) for s in ('liten', 'mellomstor', 'stor'))}."
        ),
    )
    rows = []
    groups: dict[str, list[int]] = {}
    for organisation, done in inputs.respondents:
        size = organisation.size_class(survey.boundaries)
        name = (
            size_class_label(size, survey.boundaries) if size else organisation.get_kind_display()
        )
        counts = groups.setdefault(name, [0, 0])
        counts[0] += 1
        counts[1] += done
    for name, (total, done) in sorted(groups.items()):
        rows.append([name, str(total), str(done), _rate(done, total)])
    section.add(
        "table",
        table=Table(
            "Svarprosent etter type og størrelse",
            ["Gruppe", "Invitert", "Svarte", "Svarprosent"],
            rows,
        ),
    )
    return section


CHOICE_FIGURE_TYPES = ("enkeltvalg", "flervalg")


def theme_sections(
    questionnaire: Questionnaire, table: pd.DataFrame, prefix: str = "", *, choices=None
) -> list[Section]:
    """Results per theme: one figure for the theme's scales, a figure or table per question.

    Facts are counted per organisation (from agreed or chosen values), opinions per person.
    """
    frequencies = frequency_table(table, questionnaire, choices=choices)
    sections = []
    for theme, theme_label in THEMES.items():
        answered_keys = set(frequencies["question"])
        answered = [q for q in questionnaire.theme_questions(theme) if q.key in answered_keys]
        if not answered:
            continue
        section = Section(f"{prefix}{theme_label}", anchor=f"{prefix and 'hf-'}{theme}")
        if figure := scale_figure(theme_label, answered, frequencies):
            section.add("figure", figure=figure)
        for question in answered:
            rows = frequencies[frequencies["question"] == question.key]
            if question.type in ("heltall", "desimaltall", "prosent"):
                base = _base_text(rows)
                unit = f" ({question.unit})" if question.unit else ""
                section.add(
                    "table",
                    table=Table(
                        f"{question.text}{unit} (n = {base})",
                        ["Mål", "Verdi"],
                        [
                            [r.option_text, format_statistic(r.count, question)]
                            for r in rows.itertuples()
                        ],
                    ),
                )
            elif question.type == "skala4":
                continue  # in the figure above, with its numbers as text alternative
            elif figure := question_figure(question, rows):
                section.add("figure", figure=figure)
            else:
                section.add(
                    "table",
                    table=Table(
                        f"{question.text} (n = {_base_text(rows)})",
                        ["Svar", "Antall", "Prosent"],
                        [
                            [r.option_text, str(int(r.count)), format_percent(r.percent)]
                            for r in rows.itertuples()
                        ],
                    ),
                )
        sections.append(section)
    return sections


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
        f"Vurderinger innen {theme_label.lower()}", answered, labels, shares, bases
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


def _indicator_matrix(questionnaire: Questionnaire, table: pd.DataFrame, choices) -> Section | None:
    """Organisations × key indicators, from agreed (or leader-chosen) organisation facts."""
    keys = [k for k in INDICATORS if questionnaire.has_question(k)]
    if not keys or table.empty:
        return None
    facts = {
        (f.organisation, f.question): f for f in organisation_facts(table, questionnaire, choices)
    }
    names = table.drop_duplicates("organisation").set_index("organisation")["organisation_name"]
    rows, organisations = [], []
    for number, name in sorted(names.items(), key=lambda item: item[1]):
        line = []
        for key in keys:
            fact = facts.get((number, key))
            if fact is None:
                line.append("–")
            elif fact.disputed:
                line.append("Uenige")
            else:
                line.append(INDICATORS[key][1].get(fact.value, "–"))
        organisations.append(str(name))
        rows.append(line)
    section = Section("Oversikt over organisasjonene")
    section.add(
        "paragraph",
        text=(
            "Nøkkelindikatorer per organisasjon. «Uenige» betyr at personer fra samme organisasjon "
            "svarte ulikt og at prosjektlederen ikke har valgt hvilket svar som gjelder; «–» betyr "
            "at ingen svarte."
        ),
    )
    section.add(
        "figure",
        figure=heat_map(
            "Nøkkelindikatorer per organisasjon",
            organisations,
            [INDICATORS[k][0] for k in keys],
            rows,
        ),
    )
    return section


def _indicators_by_size(
    survey: Survey, questionnaire: Questionnaire, table: pd.DataFrame, choices=None
) -> Section | None:
    """The key indicators as grouped bars by size class (one value per organisation, small
    groups and the groups that would reveal them hidden)."""
    keys = [k for k in INDICATORS if questionnaire.has_question(k)]
    frequencies = frequency_table(
        table, questionnaire, by="size", size_boundaries=survey.boundaries, choices=choices
    )
    figures = []
    for key in keys:
        rows = frequencies[frequencies["question"] == key]
        if not rows.empty and (
            figure := split_figure(questionnaire.question(key), rows, "etter kommunestørrelse")
        ):
            figures.append(figure)
    if not figures:
        return None
    section = Section("Nøkkelindikatorer etter kommunestørrelse")
    section.add(
        "paragraph",
        text=(
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


def _profiles(questionnaire: Questionnaire, table: pd.DataFrame, choices) -> list[Section]:
    section = Section("Oppsummering per organisasjon")
    section.add(
        "paragraph",
        text=(
            "For hver organisasjon er svarene samlet under fem overskrifter, slik som i "
            "kartleggingen av hjemmetid og hjemmedød i ti kommuner (2025)."
        ),
    )
    sections = [section]
    names = table.drop_duplicates("organisation").set_index("organisation")["organisation_name"]
    by_organisation = dict(list(table.groupby("organisation")))  # one pass, not one per profile
    for number, name in sorted(names.items(), key=lambda item: item[1]):
        organisation_section = Section(str(name), level=2)
        own = by_organisation[number]
        for part in organisation_profile(own, questionnaire, number, choices):
            items = [f"{item.question_text}: {_profile_answer(item)}" for item in part.items]
            if items:
                organisation_section.add("paragraph", text=part.heading)
                organisation_section.add("bullets", items=items)
        sections.append(organisation_section)
    return sections


def _profile_answer(item) -> str:
    if item.chosen_by_leader:
        return f"{item.lines[0].text} (ulike svar; prosjektleder har valgt dette)"
    if len(item.lines) == 1:
        return item.lines[0].text
    # Respondents of one organisation answered differently: show each answer and how many.
    return "; ".join(f"{line.text} ({line.respondents})" for line in item.lines)


def _free_text(questionnaire: Questionnaire, table: pd.DataFrame, labels) -> Section:
    section = Section("Fritekstsvar")
    for theme in free_text_by_theme(table, questionnaire, labels):
        for question in theme.questions:
            section.add("paragraph", text=f"{theme.theme_label} – {question.question_text}")
            section.add(
                "bullets",
                items=[
                    f"«{entry.text}» ({entry.organisation}, {entry.respondent_role or 'ukjent rolle'})"
                    for entry in question.entries
                ],
            )
    return section


def _recommendations(inputs: ReportInputs, labels) -> list[Section]:
    """Per theme the challenge, «Slik vil vi ha det», «Slik gjør vi det» (the shape of the
    Vestfold action plans).

    Then a scorecard per organisation, the regional matrix and the collaboration
    opportunities. Dismissed findings are left out; edited ones use the leader's words.
    """
    rules, parameters, cards = inputs.rules, inputs.parameters, inputs.cards
    if not any(card.responses for card in cards):
        return []

    def name(card) -> str:
        number = card.organisation.number
        return labels.get(number, number) if labels else card.organisation.name

    intro = Section("Anbefalinger")
    intro.add(
        "paragraph",
        text=(
            "Svarene fra hver kommune er vurdert mot anbefalinger i nasjonale føringer for "
            "palliasjon. For hvert avvik står utfordringen vi fant, målet (Slik vil vi ha det) og "
            "tiltakene (Slik gjør vi det), med kilder. Anbefalinger som bygger på lokale valg eller "
            "bare på tidligere rapporter, er merket med kunnskapsgrunnlaget. Funn som "
            "prosjektlederen har avvist, er ikke med."
        ),
    )
    sections = [intro]
    deviations = {card.organisation.number: report_findings(card) for card in cards}
    cited: dict[str, object] = {}
    for theme, theme_label in THEMES.items():
        theme_section = Section(theme_label, level=2)
        for rule in (r for r in rules.rules if r.theme == theme):
            # Organisations with the same wording share one table.
            groups: dict[tuple[str, str], list[str]] = {}
            for card in cards:
                for finding in deviations[card.organisation.number]:
                    if finding.rule.id == rule.id:
                        groups.setdefault(finding_texts(finding), []).append(name(card))
            for (finding_text, recommendation), names in groups.items():
                theme_section.add(
                    "table",
                    table=Table(
                        f"{rule.id} {rule.title} ({rule.severity_label.lower()})",
                        ["Del", "Tekst"],
                        [
                            ["Gjelder", ", ".join(names)],
                            ["Utfordring", finding_text],
                            ["Slik vil vi ha det", rule.goal],
                            ["Slik gjør vi det", recommendation],
                            ["Kilder", rule.sources_text],
                            ["Kunnskapsgrunnlag", rule.verification_label],
                        ],
                    ),
                )
                cited |= {c.source.id: c.source for c in rule.citations}
        if theme_section.blocks:
            sections.append(theme_section)
    scorecard = Section("Status per organisasjon", level=2)
    scorecard.add(
        "paragraph",
        text=(
            "Alle anbefalinger per organisasjon: avvik, i tråd med anbefaling, eller ikke vurdert "
            "fordi svar mangler, er «Vet ikke» eller er uenige. Anbefalinger som ikke er relevante "
            "(for eksempel bemanning av en enhet kommunen ikke har), er utelatt."
        ),
    )
    for card in cards:
        shown = set(id(f) for f in deviations[card.organisation.number])
        rows = []
        for finding in card.findings:
            if finding.status == NOT_RELEVANT:
                continue
            status = finding.status_label
            if finding.status == DEVIATION and id(finding) not in shown:
                status = "Avvik (avvist av prosjektleder)"
            elif finding.decision and finding.status == DEVIATION:
                status += f" ({finding.decision.get_action_display().lower()})"
            answers = "; ".join(f"{i.label}: {i.text}" for i in finding.inputs if i.usable)
            rows.append([f"{finding.rule.id} {finding.rule.title}", status, answers or "–"])
        scorecard.add(
            "table",
            table=Table(
                f"{name(card)} ({card.responses} besvarelser)",
                ["Anbefaling", "Status", "Svar"],
                rows,
            ),
        )
    sections.append(scorecard)
    municipalities = places(cards)
    if labels:
        for place in municipalities:
            place.name = labels.get(place.number, place.number)
    header, matrix_rows = regional.matrix(municipalities)
    region = Section("Regional oversikt og mulige samarbeid", level=2)
    region.add(
        "table",
        table=Table(
            "Kommuner × nøkkelindikatorer («–»: svar mangler, er «Vet ikke» eller uenige)",
            ["Kommune", *header],
            [[place.name, *(cell.text for cell in cells)] for place, cells in matrix_rows],
        ),
    )
    for opportunity in regional.opportunities(
        municipalities, catchment_threshold(rules, parameters)
    ):
        region.add("paragraph", text=f"{opportunity.title}. {opportunity.text}")
        region.add("bullets", items=opportunity.answers)
    sections.append(region)
    if cited:
        sources = Section("Kilder for anbefalingene", level=2)
        sources.add(
            "bullets",
            items=[
                f"{s.title}{f' ({s.url})' if s.url else ''}"
                for s in sorted(cited.values(), key=lambda s: s.id)
            ],
        )
        sections.append(sources)
    return sections


def _appendix(inputs: ReportInputs) -> Section:
    section = Section("Vedlegg: spørreskjema")
    for version in inputs.versions:
        questionnaire = version.definition
        section.add("paragraph", text=f"{questionnaire.title} (versjon {version.version})")
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
