"""One organisation's profile under seed 002's five headings."""

from __future__ import annotations

import pandas as pd

from kartlegging.analysis.profile import organisation_profile
from kartlegging.analysis.table import COLUMNS
from kartlegging.questionnaires.schema import parse_questionnaire

SCHEMA = parse_questionnaire(
    """
nokkel: profil
tittel: Profil
seksjoner:
  - nokkel: om_deg
    tittel: Om deg
    tema: bakgrunn
    sporsmal:
      - {nokkel: respondent_rolle, tekst: Rolle, type: kort_tekst}
  - nokkel: organisering
    tittel: Organisering
    tema: organisering
    sporsmal:
      - {nokkel: koord_finnes, tekst: Har kommunen koordinator, type: ja_nei, omfang: organisasjon}
      - {nokkel: koord_pct, tekst: Stilling, type: heltall, enhet: "% stilling",
         omfang: organisasjon}
  - nokkel: identifisering
    tittel: Identifisering
    tema: helhetlig
    sporsmal:
      - nokkel: ident_verktoy
        tekst: Verktøy
        type: flervalg
        omfang: organisasjon
        alternativer:
          - {kode: spict, tekst: SPICT}
          - {kode: annet, tekst: Annet}
      - {nokkel: bruker_spict, tekst: Brukes SPICT, type: ja_nei}
      - {nokkel: fastlege_samarbeid, tekst: Samarbeid med fastlege, type: skala4}
      - {nokkel: forbedringer_samarbeid, tekst: Hva kan forbedres, type: lang_tekst}
  - nokkel: medvirkning
    tittel: Medvirkning
    tema: medvirkning
    sporsmal:
      - {nokkel: forhandssamtaler, tekst: Forhåndssamtaler, type: ja_nei}
  - nokkel: kompetanse
    tittel: Kompetanse
    tema: kompetanse
    sporsmal:
      - {nokkel: fagdag, tekst: Siste fagdag, type: dato}
  - nokkel: apenhet
    tittel: Åpenhet
    tema: apenhet
    sporsmal:
      - {nokkel: apenhet_samtale, tekst: Snakkes det om døden, type: skala4}
  - nokkel: familie
    tittel: Familie
    tema: familie
    sporsmal:
      - {nokkel: parorende, tekst: Pårørendetilbud, type: ja_nei}
  - nokkel: barn
    tittel: Barn
    tema: barn_unge
    sporsmal:
      - {nokkel: barneansvarlig, tekst: Barneansvarlig, type: ja_nei}
  - nokkel: styrker_evaluering
    tittel: Styrker
    tema: bakgrunn
    sporsmal:
      - {nokkel: tilbud_samlet, tekst: Samlet vurdering, type: skala4}
      - {nokkel: styrker, tekst: Styrker, type: lang_tekst}
      - {nokkel: svakheter, tekst: Svakheter, type: lang_tekst}
"""
)

HEADINGS = [
    "Hvordan tjenesten er organisert",
    "Hvordan palliative pasienter identifiseres",
    "Hvordan samarbeidet fungerer",
    "Arbeid med pårørende, familie og frivillige",
    "Styrker og svakheter",
]


def make_table(answers: list[tuple[int, str, str, str, object]]) -> pd.DataFrame:
    rows = [
        (
            response,
            role,
            org,
            {"3901": "Horten", "3903": "Holmestrand"}[org],
            "kommune",
            "stor",
            SCHEMA.key,
            key,
            SCHEMA.section_of(key).theme,
            SCHEMA.question(key).scope,
            SCHEMA.question(key).type,
            value,
            True,
        )
        for response, role, org, key, value in answers
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


ANSWERS = [
    (1, "Kreftkoordinator", "3901", "respondent_rolle", "Kreftkoordinator"),
    (1, "Kreftkoordinator", "3901", "koord_finnes", "ja"),
    (2, "Leder", "3901", "koord_finnes", "ja"),
    (3, "Lege", "3901", "koord_finnes", "nei"),
    (1, "Kreftkoordinator", "3901", "koord_pct", 50),
    (1, "Kreftkoordinator", "3901", "ident_verktoy", ["spict", "annet"]),
    (2, "Leder", "3901", "ident_verktoy", ["annet", "spict"]),
    (1, "Kreftkoordinator", "3901", "bruker_spict", "ja"),
    (1, "Kreftkoordinator", "3901", "fastlege_samarbeid", "noen"),
    (2, "Leder", "3901", "fastlege_samarbeid", "liten"),
    (2, "Leder", "3901", "forbedringer_samarbeid", "Faste møter med fastlegene."),
    (1, "Kreftkoordinator", "3901", "forhandssamtaler", "ja"),
    (1, "Kreftkoordinator", "3901", "fagdag", "2026-03-15"),
    (1, "Kreftkoordinator", "3901", "apenhet_samtale", "stor"),
    (1, "Kreftkoordinator", "3901", "parorende", "nei"),
    (1, "Kreftkoordinator", "3901", "barneansvarlig", "ja"),
    (1, "Kreftkoordinator", "3901", "tilbud_samlet", "noen"),
    (1, "Kreftkoordinator", "3901", "styrker", "Engasjerte ansatte."),
    (2, "Leder", "3901", "svakheter", "Lite legetid."),
    (9, "Leder", "3903", "koord_finnes", "nei"),  # another municipality
    (9, "Leder", "3903", "parorende", "ja"),
]


def keys(section) -> list[str]:
    return [item.question for item in section.items]


def test_five_headings_in_order_even_when_empty():
    empty = organisation_profile(make_table(ANSWERS), SCHEMA, "0000")
    assert [s.heading for s in empty] == HEADINGS
    assert all(s.items == [] for s in empty)


def test_questions_mapped_to_headings():
    sections = organisation_profile(make_table(ANSWERS), SCHEMA, "3901")
    assert [s.heading for s in sections] == HEADINGS
    assert [keys(s) for s in sections] == [
        ["koord_finnes", "koord_pct", "forhandssamtaler", "fagdag"],  # + medvirkning, kompetanse
        ["ident_verktoy", "bruker_spict"],
        ["fastlege_samarbeid"],
        ["apenhet_samtale", "parorende", "barneansvarlig"],
        ["forbedringer_samarbeid", "tilbud_samlet", "styrker", "svakheter"],
    ]
    # background questions (respondent_rolle) are left out


def test_organisation_scope_one_line_per_distinct_value_with_count():
    sections = organisation_profile(make_table(ANSWERS), SCHEMA, "3901")
    koord = sections[0].items[0]
    assert koord.question_text == "Har kommunen koordinator"
    assert [(line.text, line.respondents) for line in koord.lines] == [("Ja", 2), ("Nei", 1)]
    assert koord.lines[0].roles == ("Kreftkoordinator", "Leder")
    assert [(line.text, line.respondents) for line in sections[0].items[1].lines] == [
        ("50 % stilling", 1)
    ]
    # the same options in another order are the same answer
    tools = sections[1].items[0]
    assert [(line.text, line.respondents) for line in tools.lines] == [("SPICT, Annet", 2)]


def test_person_scope_one_line_per_respondent_as_they_read_it():
    sections = organisation_profile(make_table(ANSWERS), SCHEMA, "3901")
    collaboration = sections[2].items[0]
    assert [(line.text, line.roles) for line in collaboration.lines] == [
        ("I noen grad", ("Kreftkoordinator",)),
        ("I liten grad", ("Leder",)),
    ]
    assert sections[0].items[3].lines[0].text == "15.03.2026"
    strengths = {item.question: item.lines[0].text for item in sections[4].items}
    assert strengths["styrker"] == "Engasjerte ansatte."


def test_other_organisations_are_not_in_the_profile():
    sections = organisation_profile(make_table(ANSWERS), SCHEMA, "3903")
    assert [keys(s) for s in sections] == [["koord_finnes"], [], [], ["parorende"], []]
    assert sections[0].items[0].lines[0].text == "Nei"


def test_leader_choice_replaces_differing_answers_with_the_chosen_one():
    sections = organisation_profile(
        make_table(ANSWERS), SCHEMA, "3901", {("3901", "koord_finnes"): "nei"}
    )
    koord = sections[0].items[0]
    assert koord.chosen_by_leader
    assert [(line.text, line.respondents) for line in koord.lines] == [("Nei", 1)]
    # agreed facts are not marked as chosen even if a choice was stored earlier
    agreed = organisation_profile(make_table(ANSWERS), SCHEMA, "3901", {("3901", "koord_pct"): 50})
    assert not agreed[0].items[1].chosen_by_leader
