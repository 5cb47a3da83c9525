"""Every loader problem says where it is as positions and a field, so a spreadsheet row
or an editor's field can show it."""

from __future__ import annotations

import pytest

from kartlegging.questionnaires.schema import QuestionnaireError, parse_questionnaire
from kartlegging.questionnaires.validation import Place
from tests.questionnaires.test_schema import with_questions


def places(text: str) -> list[tuple[Place, str]]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text)
    assert [e.text for e in caught.value.entries] == caught.value.problems
    return [(e.place, e.message) for e in caught.value.entries]


def test_each_problem_names_its_section_question_option_and_field():
    text = with_questions(
        "{nokkel: a, tekst: A, type: ja_nei}",
        "{nokkel: a, tekst: B, type: tall}",
        "{nokkel: c, tekst: C, type: flervalg, alternativer: "
        "[{kode: x, tekst: X}, {kode: x, tekst: Y}]}",
        "{nokkel: d, tekst: D, type: heltall, min: 5, maks: 2, vis_hvis: {sporsmal: c, er: z}}",
    )
    assert places(text) == [
        (
            Place(1, 2, 0, "type"),
            "ukjent type 'tall' (gyldige: enkeltvalg, flervalg, skala4, "
            "ja_nei, heltall, desimaltall, prosent, kort_tekst, lang_tekst, dato)",
        ),
        (Place(1, 2, 0, "nokkel"), "nøkkelen 'a' er brukt før"),
        (Place(1, 3, 2, "kode"), "koden 'x' er brukt før"),
        (Place(1, 4, 0, "min"), "'min' er større enn 'maks'"),
        (Place(1, 4, 0, "vis_hvis"), "'z' er ikke et alternativ i 'c'"),
    ]


def test_a_problem_of_the_questionnaire_itself_has_no_section():
    text = "nokkel: Ugyldig Nøkkel\ntittel: T\nseksjoner: []\n"
    assert [p for p, _m in places(text)] == [Place(field="nokkel"), Place(field="seksjoner")]
