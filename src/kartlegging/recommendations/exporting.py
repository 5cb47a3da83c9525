"""Findings as rows: one per organisation × rule, for JSON and CSV (CLI and download).

For readers: each status with a text true for it (the finding and recommendation only for a
deviation), sources by title, part and link, and whether a rule is a national
recommendation or a local proposal; never the rules file's verification notes.
"""

from __future__ import annotations

import json

from kartlegging.core.spreadsheets import csv_bytes
from kartlegging.recommendations.engine import NOT_ASSESSED, Finding
from kartlegging.recommendations.service import Scorecard, finding_texts

COLUMNS = [
    "organisasjon",
    "organisasjonsnummer",
    "regel",
    "tema",
    "tittel",
    "status",
    "funn",
    "anbefaling",
    "kilder",
    "grunnlag",
    "alvorlighet",
    "svar",
    "mangler",
    "vurdering",
]


def finding_row(finding: Finding) -> dict:
    text, recommendation = finding_texts(finding)
    decision = finding.decision
    return {
        "organisasjon": finding.organisation_name,
        "organisasjonsnummer": finding.organisation,
        "regel": finding.rule.id,
        "tema": finding.rule.theme,
        "tittel": finding.rule.title,
        "status": finding.status_label,
        "funn": text,
        "anbefaling": recommendation,
        "kilder": finding.rule.sources_text,
        "grunnlag": finding.rule.basis_label,
        "alvorlighet": finding.rule.severity_label,
        # The answers behind it: question, answer and the roles of those who gave it (no names).
        "svar": [
            {"sporsmal": i.name, "tekst": i.label, "svar": i.text, "roller": list(i.respondents)}
            for i in finding.inputs
            if i.usable
        ],
        "mangler": finding.reason if finding.status == NOT_ASSESSED else "",
        "vurdering": (
            {"valg": decision.get_action_display(), "begrunnelse": decision.reason}
            if decision
            else None
        ),
    }


def rows(cards: list[Scorecard]) -> list[dict]:
    return [finding_row(f) for card in cards for f in card.findings]


def to_json(cards: list[Scorecard]) -> bytes:
    return json.dumps(rows(cards), ensure_ascii=False, indent=2).encode("utf-8")


def to_csv(cards: list[Scorecard]) -> bytes:
    def flat(row: dict) -> list:
        # The question as the respondent read it (JSON has the key beside it).
        answers = "; ".join(
            f"{a['tekst']}: {a['svar']} ({', '.join(a['roller'])})" for a in row["svar"]
        )
        decision = row["vurdering"]
        decided = f"{decision['valg']}: {decision['begrunnelse']}".rstrip(": ") if decision else ""
        return [
            *(row[c] for c in COLUMNS[:11]),
            answers,
            row["mangler"],
            decided,
        ]

    return csv_bytes(COLUMNS, (flat(r) for r in rows(cards)))


FORMATS = {
    "json": ("application/json", to_json),
    "csv": ("text/csv; charset=utf-8", to_csv),
}
