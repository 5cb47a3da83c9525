"""Free-text answers grouped by theme, then question."""

from __future__ import annotations

import pandas as pd

from kartlegging.analysis.table import COLUMNS
from kartlegging.analysis.texts import free_text_by_theme
from kartlegging.questionnaires.schema import parse_questionnaire

# Sections deliberately not in THEMES order (bakgrunn, …, familie, kompetanse).
SCHEMA = parse_questionnaire(
    """
nokkel: tekster
tittel: Tekster
seksjoner:
  - nokkel: kompetanse
    tittel: Kompetanse
    tema: kompetanse
    sporsmal:
      - {nokkel: kompetanse_utdyp, tekst: Utdyp kompetanse, type: lang_tekst}
  - nokkel: familie
    tittel: Familie
    tema: familie
    sporsmal:
      - {nokkel: parorende_ja, tekst: Tilbud til pårørende, type: ja_nei}
      - {nokkel: parorende_hva, tekst: Hva tilbys, type: kort_tekst}
      - {nokkel: familie_utdyp, tekst: Utdyp familie, type: lang_tekst}
  - nokkel: slutt
    tittel: Til slutt
    tema: bakgrunn
    sporsmal:
      - {nokkel: styrker, tekst: Styrker, type: lang_tekst}
"""
)

ORGS = {"3901": "Horten", "3903": "Holmestrand"}


def make_table(answers: list[tuple[int, str, str, str, object]]) -> pd.DataFrame:
    rows = [
        (
            response,
            role,
            org,
            ORGS[org],
            "kommune",
            "stor",
            SCHEMA.key,
            key,
            SCHEMA.section_of(key).theme,
            "person",
            SCHEMA.question(key).type,
            value,
            True,
        )
        for response, role, org, key, value in answers
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


TABLE = make_table(
    [
        (1, "Kreftkoordinator", "3901", "kompetanse_utdyp", "Vi trenger mer opplæring."),
        (1, "Kreftkoordinator", "3901", "familie_utdyp", "Pårørendeskole hver vår."),
        (1, "Kreftkoordinator", "3901", "parorende_ja", "ja"),  # not text
        (2, "Leder", "3903", "familie_utdyp", "Lite tilbud."),
        (2, "Leder", "3903", "parorende_hva", "Samtaler"),
        (2, "Leder", "3903", "styrker", "Godt samarbeid."),
    ]
)


def test_grouped_by_theme_in_themes_order_then_questionnaire_order():
    themes = free_text_by_theme(TABLE, SCHEMA)
    assert [(t.theme, t.theme_label) for t in themes] == [
        ("bakgrunn", "Bakgrunn"),
        ("familie", "Familien, pårørende og frivillige"),
        ("kompetanse", "Kompetanse og kunnskap"),
    ]
    familie = themes[1]
    assert [q.question for q in familie.questions] == ["parorende_hva", "familie_utdyp"]
    assert familie.questions[1].question_text == "Utdyp familie"
    assert [(e.text, e.organisation, e.respondent_role) for e in familie.questions[1].entries] == [
        ("Pårørendeskole hver vår.", "Horten", "Kreftkoordinator"),
        ("Lite tilbud.", "Holmestrand", "Leder"),
    ]


def test_labels_replace_names_and_missing_labels_do_not_leak_names():
    themes = free_text_by_theme(TABLE, SCHEMA, labels={"3901": "Stor kommune 1"})
    familie = next(t for t in themes if t.theme == "familie")
    assert [e.organisation for e in familie.questions[1].entries] == [
        "Stor kommune 1",
        "Ukjent organisasjon",
    ]
    everything = [e.organisation for t in themes for q in t.questions for e in q.entries]
    assert "Horten" not in everything and "Holmestrand" not in everything


def test_no_texts_gives_empty_list():
    assert (
        free_text_by_theme(make_table([(1, "Leder", "3901", "parorende_ja", "nei")]), SCHEMA) == []
    )
