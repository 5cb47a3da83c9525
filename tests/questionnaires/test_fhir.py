"""FHIR R4: a questionnaire out as a Questionnaire and back unchanged, answers out as a
QuestionnaireResponse, and a Questionnaire made elsewhere in with a list of what was lost."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kartlegging.questionnaires.conditions import Condition
from kartlegging.questionnaires.fhir import (
    EXT_CONDITION,
    EXT_ENABLE_WHEN_EXPRESSION,
    EXT_OPTION_EXCLUSIVE,
    EXT_SCOPE,
    EXT_THEME,
    EXT_UNIT,
    from_fhir,
    from_fhir_json,
    looks_like_fhir,
    to_fhir,
    to_fhir_response,
)
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.questionnaires.schema import QuestionnaireError, parse_questionnaire
from tests.questionnaires.test_schema import with_questions

ROOT = Path(__file__).parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FOREIGN = FIXTURES / "fhir-fremmed.json"
# A section named like a question, «Vet ikke» as an own option, prosent with and without a
# unit, conditions on numbers, dates and text, a section's intro and condition, audience.
EDGES = FIXTURES / "fhir-kanttilfeller.yaml"
# Both default questionnaires (and any other shipped one), and the tests' own.
FILES = sorted((ROOT / "questionnaires").glob("*.yaml")) + [FIXTURES / "mini.yaml", EDGES]
KOMMUNE = ROOT / "questionnaires" / "palliasjon-kommune.yaml"
MINI = parse_questionnaire((FIXTURES / "mini.yaml").read_text(encoding="utf-8"))


def round_trip(data: dict) -> tuple[str, list[str]]:
    """Through JSON text, as a file would go."""
    return from_fhir(json.loads(json.dumps(data)))


def items(data: dict) -> dict[str, dict]:
    """Every item of a Questionnaire or QuestionnaireResponse, by linkId."""
    found: dict[str, dict] = {}

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            found[node["linkId"]] = node
            walk(node.get("item", []))

    walk(data.get("item", []))
    return found


def extension(item: dict, url: str) -> dict:
    """The item's extension with this URL; {} when it has none."""
    return next((e for e in item.get("extension", []) if e["url"] == url), {})


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_questionnaire_goes_to_fhir_and_back_unchanged(path):
    original = parse_questionnaire(path.read_text(encoding="utf-8"))
    data = to_fhir(original, version=2)
    FhirQuestionnaire.model_validate(data)
    text, warnings = round_trip(data)
    assert warnings == []
    assert parse_questionnaire(text) == original


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_shipped_conditions_are_plain_enable_when(path):
    """Other FHIR tools can show and hide the default questions: no condition needs our
    own extension or FHIRPath."""
    data = to_fhir(parse_questionnaire(path.read_text(encoding="utf-8")))
    text = json.dumps(data)
    assert EXT_CONDITION not in text and EXT_ENABLE_WHEN_EXPRESSION not in text
    if path == KOMMUNE:
        assert text.count('"enableWhen"') == 39


def test_the_exported_questionnaire_says_what_it_is():
    data = to_fhir(MINI, version=4, url_base="https://eksempel.no/fhir/")
    assert data["url"] == "https://eksempel.no/fhir/Questionnaire/mini"
    assert (data["version"], data["status"], data["title"]) == ("4", "active", "Lite testskjema")
    found = items(data)
    assert found["organisering"]["type"] == "group"
    assert extension(found["organisering"], EXT_THEME)["valueCode"] == "organisering"
    assert extension(found["koord_finnes"], EXT_SCOPE)["valueCode"] == "organisasjon"
    tools = found["ident_verktoy"]
    assert (tools["type"], tools["repeats"]) == ("choice", True)
    assert [o["valueCoding"]["code"] for o in tools["answerOption"]] == ["spict", "annet", "ingen"]
    assert tools["answerOption"][0]["valueCoding"]["system"] == (
        "https://eksempel.no/fhir/CodeSystem/mini/ident_verktoy"
    )
    assert extension(tools["answerOption"][2], EXT_OPTION_EXCLUSIVE) == {
        "url": EXT_OPTION_EXCLUSIVE,
        "valueBoolean": True,
    }
    assert "repeats" not in found["respondent_rolle"]
    assert found["respondent_rolle"]["required"] is True
    share = found["koord_stilling_pct"]
    assert share["type"] == "integer"
    assert extension(share, EXT_UNIT)["valueCoding"] == {"display": "% stilling"}
    assert {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 1000} in (
        share["extension"]
    )
    assert found["enhet_pleiefaktor_dag"]["type"] == "decimal"
    assert found["fagdag_dato"]["type"] == "date"
    assert (found["kompetanse_utdyp"]["type"], found["kompetanse_utdyp"]["maxLength"]) == (
        "text",
        10_000,
    )
    assert [o["valueCoding"]["code"] for o in found["samarbeid_fastlege"]["answerOption"]] == [
        "stor",
        "noen",
        "liten",
        "ikke",
        "vet_ikke",
    ]


def test_a_section_named_like_a_question_keeps_apart_from_it():
    data = to_fhir(parse_questionnaire(EDGES.read_text(encoding="utf-8")))
    assert [i["linkId"] for i in data["item"]] == ["a-seksjon", "b"]
    assert data["item"][0]["item"][0] == {
        "linkId": "a-introduksjon",
        "text": "Innledning til siden.",
        "type": "display",
    }
    assert data["item"][1]["enableBehavior"] == "any"
    assert data["useContext"][0]["valueCodeableConcept"] == {"text": "Ledere i kommunen"}


def test_help_is_a_display_item_with_the_help_control():
    original = parse_questionnaire(
        with_questions("{nokkel: a, tekst: A, type: kort_tekst, hjelpetekst: Slik svarer du.}")
    )
    question = items(to_fhir(original))["a"]
    (help_item,) = question["item"]
    assert (help_item["type"], help_item["text"]) == ("display", "Slik svarer du.")
    control = help_item["extension"][0]
    assert control["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
    assert control["valueCodeableConcept"]["coding"][0]["code"] == "help"


# --------------------------------------------------------------------------- conditions


def test_a_condition_is_enable_when():
    found = items(to_fhir(MINI))
    assert found["koord_stilling_pct"]["enableWhen"] == [
        {
            "question": "koord_finnes",
            "operator": "=",
            "answerCoding": {
                "system": "https://kartlegging.no/fhir/CodeSystem/mini/koord_finnes",
                "code": "ja",
                "display": "Ja",
            },
        }
    ]
    assert "enableBehavior" not in found["koord_stilling_pct"]


def test_one_of_several_answers_is_enable_when_with_any():
    kommune = parse_questionnaire(KOMMUNE.read_text(encoding="utf-8"))
    data = to_fhir(kommune)
    with_any = [i for i in items(data).values() if i.get("enableBehavior") == "any"]
    assert with_any
    item = next(
        i
        for i in with_any
        if {e["question"] for e in i["enableWhen"]}
        == {
            "lsd_hjemme",
            "lsd_sykehjem",
        }
    )
    assert [(e["question"], e["answerCoding"]["code"]) for e in item["enableWhen"]] == [
        ("lsd_hjemme", "ja"),
        ("lsd_hjemme", "delvis"),
        ("lsd_sykehjem", "ja"),
        ("lsd_sykehjem", "delvis"),
    ]


CONDITIONS = [
    "{sporsmal: a, ikke_er: nei}",
    "{sporsmal: a, ikke_er: [nei, vet_ikke]}",
    "{sporsmal: n, mindre_enn: 50}",
    "{sporsmal: n, er_besvart: false}",
    "{sporsmal: f, er: x}",  # `er` on multiple choice: not what enableWhen reads back
    "{sporsmal: a, er: [ja]}",
    "{alle: [{sporsmal: a, er: ja}, {sporsmal: n, storre_enn: 0}]}",
    "{alle: [{sporsmal: a, er: ja}, {en_av: [{sporsmal: n, storre_enn: 0}, {sporsmal: f, inneholder: y}]}]}",
    "{en_av: [{sporsmal: a, ikke_er: ja}, {sporsmal: n, er_besvart: true}]}",
    "{en_av: [{sporsmal: a, er: ja}, {sporsmal: a, er: nei}]}",
]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_condition_comes_back_exactly(condition):
    text = with_questions(
        "{nokkel: a, tekst: A, type: ja_nei, vet_ikke: true}",
        "{nokkel: n, tekst: N, type: heltall}",
        "{nokkel: f, tekst: F, type: flervalg, alternativer: [{kode: x, tekst: X}, {kode: y, tekst: Y}]}",
        f"{{nokkel: t, tekst: T, type: kort_tekst, vis_hvis: {condition}}}",
    )
    original = parse_questionnaire(text)
    data = to_fhir(original)
    FhirQuestionnaire.model_validate(data)
    back, warnings = round_trip(data)
    assert warnings == []
    assert parse_questionnaire(back) == original


def test_not_is_guarded_by_exists_as_fhir_shows_a_not_equal_when_unanswered():
    text = with_questions(
        "{nokkel: a, tekst: A, type: ja_nei}",
        "{nokkel: t, tekst: T, type: kort_tekst, vis_hvis: {sporsmal: a, ikke_er: nei}}",
    )
    question = items(to_fhir(parse_questionnaire(text)))["t"]
    assert [(e["operator"], e.get("answerBoolean")) for e in question["enableWhen"]] == [
        ("exists", True),
        ("!=", None),
    ]
    assert question["enableBehavior"] == "all"
    assert extension(question, EXT_CONDITION) == {}


def test_a_nested_condition_is_fhirpath_for_other_tools_and_our_extension_for_us():
    text = with_questions(
        "{nokkel: a, tekst: A, type: ja_nei}",
        "{nokkel: n, tekst: N, type: heltall}",
        "{nokkel: t, tekst: T, type: kort_tekst, vis_hvis: "
        "{alle: [{sporsmal: a, er: ja}, {en_av: [{sporsmal: n, storre_enn: 0}, "
        "{sporsmal: n, er_besvart: false}]}]}}",
    )
    question = items(to_fhir(parse_questionnaire(text)))["t"]
    assert "enableWhen" not in question
    expression = extension(question, EXT_ENABLE_WHEN_EXPRESSION)["valueExpression"]
    answers = "%resource.repeat(item).where(linkId='{}').answer.value"
    assert expression == {
        "language": "text/fhirpath",
        "expression": f"({answers.format('a')}.code contains 'ja') and "
        f"(({answers.format('n')} > 0) or ({answers.format('n')}.empty()))",
    }
    assert json.loads(extension(question, EXT_CONDITION)["valueString"]) == {
        "alle": [
            {"sporsmal": "a", "er": "ja"},
            {"en_av": [{"sporsmal": "n", "storre_enn": 0}, {"sporsmal": "n", "er_besvart": False}]},
        ]
    }


def test_enable_when_changed_in_a_fhir_tool_wins_over_our_extension():
    text = with_questions(
        "{nokkel: a, tekst: A, type: ja_nei}",
        "{nokkel: f, tekst: F, type: flervalg, alternativer: [{kode: x, tekst: X}, {kode: y, tekst: Y}]}",
        "{nokkel: t, tekst: T, type: kort_tekst, vis_hvis: {sporsmal: f, er: x}}",
    )
    data = to_fhir(parse_questionnaire(text))
    question = items(data)["t"]
    assert extension(question, EXT_CONDITION) != {}
    question["enableWhen"][0]["answerCoding"]["code"] = "y"
    back, warnings = round_trip(data)
    assert warnings == [
        "spørsmål t: betingelsen i utvidelsen stemmer ikke med enableWhen; enableWhen er brukt"
    ]
    assert parse_questionnaire(back).question("t").condition == Condition("f", "inneholder", "y")


# --------------------------------------------------------------------------- responses


def test_answers_are_a_valid_questionnaire_response_without_the_person():
    answers = {
        "respondent_rolle": "annet",
        "respondent_rolle_annet": "Fagutviklingssykepleier",
        "koord_finnes": "nei",
        "koord_stilling_pct": 50,  # hidden: koord_finnes is not «ja»
        "enhet_pleiefaktor_dag": 0.8,
        "ident_verktoy": ["spict", "annet"],
        "fagdag_dato": "2026-03-15",
        "ukjent_nokkel": "ignoreres",
    }
    authored = dt.datetime(2026, 3, 16, 10, 30, tzinfo=dt.UTC)
    data = to_fhir_response(
        MINI, answers, identifier="r-7f3a", authored=authored, status="in-progress", version=1
    )
    QuestionnaireResponse.model_validate(data)
    assert data["questionnaire"] == "https://kartlegging.no/fhir/Questionnaire/mini|1"
    assert data["identifier"]["value"] == "r-7f3a"
    assert (data["status"], data["authored"]) == ("in-progress", "2026-03-16T10:30:00+00:00")
    assert "subject" not in data and "author" not in data and "source" not in data
    found = items(data)
    assert "koord_stilling_pct" not in found and "ukjent_nokkel" not in found
    assert found["respondent_rolle"]["answer"] == [
        {
            "valueCoding": {
                "system": "https://kartlegging.no/fhir/CodeSystem/mini/respondent_rolle",
                "code": "annet",
                "display": "Annet",
            }
        }
    ]
    assert [a["valueCoding"]["code"] for a in found["ident_verktoy"]["answer"]] == [
        "spict",
        "annet",
    ]
    assert found["respondent_rolle_annet"]["answer"] == [{"valueString": "Fagutviklingssykepleier"}]
    assert found["enhet_pleiefaktor_dag"]["answer"] == [{"valueDecimal": 0.8}]
    assert found["fagdag_dato"]["answer"] == [{"valueDate": "2026-03-15"}]
    assert found["bakgrunn"]["item"][0]["linkId"] == "respondent_rolle"  # sections are groups
    assert "kompetanse" in found and "samarbeid_fastlege" not in found


def test_a_whole_number_answer_is_value_integer():
    data = to_fhir_response(
        MINI,
        {"koord_finnes": "ja", "koord_stilling_pct": 40},
        identifier="x",
        authored=None,
    )
    QuestionnaireResponse.model_validate(data)
    assert items(data)["koord_stilling_pct"]["answer"] == [{"valueInteger": 40}]
    assert data["status"] == "completed" and "authored" not in data


def test_response_refuses_a_naive_time_and_an_unknown_status():
    with pytest.raises(ValueError, match="timezone"):
        to_fhir_response(MINI, {}, identifier="x", authored=dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="status"):
        to_fhir_response(MINI, {}, identifier="x", authored=None, status="amended")


# --------------------------------------------------------------------------- foreign files


@pytest.fixture(scope="module")
def foreign():
    text, warnings = from_fhir_json(FOREIGN.read_text(encoding="utf-8"))
    return parse_questionnaire(text), warnings


def test_a_foreign_questionnaire_imports_with_what_was_lost(foreign):
    questionnaire, warnings = foreign
    assert questionnaire.key == "fremmed-skjema"
    assert questionnaire.title == "Et skjema laget i et annet FHIR-verktøy"
    assert "spørsmål 1.4: typen «attachment» kan ikke representeres; spørsmålet er utelatt" in (
        warnings
    )
    assert any(w.startswith("gruppe 1: gruppen mangler tema") for w in warnings)
    assert (
        "gruppe 2: gruppen mangler tema; tema «kompetanse» er valgt etter overskriften" in warnings
    )
    assert "spørsmål 1.5: kan ikke representeres og er utelatt: prefix" in warnings
    assert "Dette på skjemanivå kan ikke representeres og er utelatt: publisher" in warnings
    assert (
        "spørsmål 1.6: betingelsen er utelatt, vises alltid: "
        "viser til «1.4», som ikke er et tidligere spørsmål"
    ) in warnings
    assert any(w.startswith("6 spørsmål mangler omfang") for w in warnings)
    assert any("1.1 → q1.1" in w for w in warnings)
    assert [s.theme for s in questionnaire.sections] == ["bakgrunn", "kompetanse"]


def test_a_foreign_questionnaire_keeps_what_it_can(foreign):
    questionnaire, _warnings = foreign
    team = questionnaire.question("q1.1")
    assert (team.type, team.required, [o.code for o in team.options]) == (
        "ja_nei",
        True,
        ["ja", "nei"],
    )
    assert questionnaire.question("q1.2").condition == Condition("q1.1", "er", "ja")
    meetings = questionnaire.question("q1.3")
    assert [o.code for o in meetings.options] == ["daglig", "ukentlig", "sjeldnere"]  # contained
    assert meetings.condition == Condition("q1.2", "storre_enn", 3)  # >= 4
    # FHIR's `!=` alone also shows the question when nothing is answered.
    assert questionnaire.question("q1.5").condition == Condition(
        any_of=(Condition("q1.1", "ikke_er", "ja"), Condition("q1.1", "er_besvart", False))
    )
    assert questionnaire.question("q1.6").condition is None
    courses = questionnaire.question("q2.1")
    assert courses.type == "flervalg"
    assert [(o.code, o.exclusive) for o in courses.options] == [
        ("a", False),
        ("b", False),
        ("ingen", True),
    ]
    assert not questionnaire.has_question("q1.4")


def test_foreign_item_types_that_fit_and_that_do_not():
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Typer",
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "text": "Gruppe",
                "item": [
                    {"linkId": "when", "type": "dateTime", "text": "Når?"},
                    {"linkId": "clock", "type": "time", "text": "Klokka?"},
                    {"linkId": "photo", "type": "reference", "text": "Bilde"},
                    {"linkId": "amount", "type": "quantity", "text": "Mengde"},
                    {
                        "linkId": "pick",
                        "type": "open-choice",
                        "text": "Velg",
                        "answerOption": [{"valueString": "Rød"}, {"valueString": "Blå"}],
                    },
                    {
                        "linkId": "one",
                        "type": "choice",
                        "text": "Bare ett",
                        "answerValueSet": "http://example.org/ValueSet/x",
                    },
                ],
            }
        ],
    }
    text, warnings = from_fhir(data)
    parsed = parse_questionnaire(text)
    types = {q.key: q.type for q in parsed.questions}
    assert types == {
        "when": "dato",
        "clock": "kort_tekst",
        "amount": "desimaltall",
        "pick": "enkeltvalg",
        "one": "kort_tekst",
    }
    assert [o.code for o in parsed.question("pick").options] == ["rod", "bla"]
    assert "spørsmål photo: typen «reference» kan ikke representeres; spørsmålet er utelatt" in (
        warnings
    )
    assert any(w.startswith("spørsmål pick: eget fritekstsvar (open-choice)") for w in warnings)
    assert any("verdisettet http://example.org/ValueSet/x" in w for w in warnings)


def test_loose_questions_get_a_section_and_nested_groups_are_flattened():
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "name": "LoseSporsmal",
        "item": [
            {"linkId": "a", "type": "string", "text": "A"},
            {
                "linkId": "g",
                "type": "group",
                "text": "Organisering",
                "item": [
                    {"linkId": "intro", "type": "display", "text": "Om organiseringen."},
                    {
                        "linkId": "inner",
                        "type": "group",
                        "enableWhen": [
                            {"question": "a", "operator": "exists", "answerBoolean": True}
                        ],
                        "item": [{"linkId": "b", "type": "integer", "text": "B"}],
                    },
                ],
            },
        ],
    }
    text, warnings = from_fhir(data)
    parsed = parse_questionnaire(text)
    assert parsed.key == "lose-sporsmal"
    assert [(s.key, s.theme) for s in parsed.sections] == [
        ("sporsmal", "bakgrunn"),
        ("g", "organisering"),
    ]
    assert parsed.sections[1].intro == "Om organiseringen."
    assert parsed.question("b").condition == Condition("a", "er_besvart", True)
    assert any("spørsmål utenfor en gruppe (a)" in w for w in warnings)
    assert "gruppe inner: en gruppe inne i en gruppe er slått sammen med seksjonen rundt" in (
        warnings
    )


def test_questions_under_a_question_are_moved_out_and_a_plain_display_is_help():
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Nestet",
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "text": "Gruppe",
                "item": [
                    {
                        "linkId": "a",
                        "type": "string",
                        "text": "A",
                        "item": [
                            {"linkId": "a_help", "type": "display", "text": "Forklaring."},
                            {"linkId": "b", "type": "integer", "text": "B"},
                        ],
                    }
                ],
            }
        ],
    }
    text, warnings = from_fhir(data)
    parsed = parse_questionnaire(text)
    assert [q.key for q in parsed.questions] == ["a", "b"]
    assert parsed.question("a").help == "Forklaring."
    assert "spørsmål a: tekst (display) under spørsmålet er brukt som hjelpetekst" in warnings
    assert "spørsmål a: spørsmål under spørsmålet (b) er flyttet ut og står etter det" in warnings


# --------------------------------------------------------------------------- invalid files


def problems_of(text: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        from_fhir_json(text)
    return caught.value.problems


def test_invalid_json_says_where():
    assert problems_of('{"resourceType": "Questionnaire",\n "status": }') == [
        "Filen er ikke gyldig JSON (linje 2, tegn 12): Expecting value"
    ]


def test_not_a_questionnaire():
    assert problems_of('{"resourceType": "Patient"}') == [
        "Filen er ikke et FHIR Questionnaire (resourceType er «Patient»)."
    ]
    assert problems_of("[1, 2]") == ["Filen må inneholde en FHIR-ressurs (et JSON-objekt)."]
    assert problems_of('{"status": "active"}') == [
        "Filen er ikke et FHIR Questionnaire (resourceType er «ikke oppgitt»)."
    ]


def test_an_invalid_questionnaire_is_named_by_its_place():
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": "g", "type": "group", "item": [{"type": "string", "text": "Uten linkId"}]},
            {"linkId": "h", "type": "group", "obligatorisk": True},
        ],
    }
    assert problems_of(json.dumps(data)) == [
        "FHIR item[0] (linkId g) → item[0] → linkId: mangler",
        "FHIR item[1] (linkId h) → obligatorisk: ukjent element (finnes ikke i FHIR R4)",
    ]
    no_status = {"resourceType": "Questionnaire", "item": [{"linkId": "a", "type": "string"}]}
    assert problems_of(json.dumps(no_status)) == ["FHIR status: mangler"]


def test_a_questionnaire_with_nothing_usable_is_refused():
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [{"linkId": "f", "type": "attachment", "text": "Fil"}],
    }
    assert problems_of(json.dumps(data))[-1] == (
        "Skjemaet har ingen spørsmål som kan representeres."
    )


def test_fhir_files_are_told_from_yaml():
    assert looks_like_fhir("skjema.JSON", "")
    assert looks_like_fhir("skjema", '{"resourceType": "Questionnaire"}')
    assert not looks_like_fhir("skjema.yaml", "{nokkel: a, tittel: A}")
    assert not looks_like_fhir("skjema.yaml", "nokkel: a")


# --------------------------------------------------------------------------- the command


def load(*args: str) -> str:
    out = StringIO()
    call_command("load-questionnaire", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_loads_a_fhir_file(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(to_fhir(MINI), ensure_ascii=False), encoding="utf-8")
    assert load(str(path)).strip() == "mini versjon 1 (ny versjon): 3 seksjoner, 9 spørsmål"
    version = QuestionnaireVersion.objects.get()
    assert version.definition == MINI


@pytest.mark.django_db
def test_the_command_prints_what_a_foreign_file_lost(tmp_path):
    path = tmp_path / "fremmed.txt"  # told by its content
    path.write_text(FOREIGN.read_text(encoding="utf-8"), encoding="utf-8")
    output = load(str(path))
    assert "spørsmål 1.4: typen «attachment» kan ikke representeres" in output
    assert output.strip().endswith("fremmed-skjema versjon 1 (ny versjon): 2 seksjoner, 6 spørsmål")


@pytest.mark.django_db
def test_the_command_refuses_a_broken_fhir_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        load(str(path))
    assert str(caught.value) == (
        f"{path} har 1 feil:\n  Filen er ikke et FHIR Questionnaire (resourceType er «Patient»)."
    )
    assert not QuestionnaireVersion.objects.exists()
