"""Rules that know whom they are for, and say what is true for each status (issue 13, part 2),
and the local proposal that stays out of the national findings (part 3).

The hospital answers its own questionnaire and is scored only on the hospital's rules; every
row of every output has a text true for its status; a rule no questionnaire asks about is left
out with one line saying so.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.recommendations.engine import DEVIATION, IN_LINE, NOT_ASSESSED
from kartlegging.recommendations.models import RuleParameter
from kartlegging.recommendations.rules import load_rules
from kartlegging.recommendations.service import LOCAL_ON, scorecards
from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_html
from kartlegging.responses.services import open_response, save_answers, submit
from tests.conftest import ROOT, invite
from tests.recommendations.conftest import GOOD, answer

pytestmark = pytest.mark.django_db

BASE = "/kartlegginger/vestfold/anbefalinger/"
RULES = load_rules()
KEYS = {key for rule in RULES.rules for key in rule.questions}


@pytest.fixture
def hospital(vestfold):
    """Sykehuset i Vestfold in the survey, answering the hospital questionnaire."""
    source = (ROOT / "questionnaires" / "palliasjon-helseforetak.yaml").read_text("utf-8")
    version, _created = load_questionnaire(source)
    vestfold.hospital_questionnaire = version
    vestfold.save()
    siv = Organisation.objects.create(
        number="HF-SIV", name="Sykehuset i Vestfold", kind="helseforetak", county="Vestfold"
    )
    vestfold.organisations.add(siv)
    response = open_response(invite(vestfold, siv, email="team@siv.example").respondent)
    answers = {
        "hf_rolle": ["sykepleier"],
        "samarbeid_avtale": ["ja_kun_kreft"],
        "samarbeid_faste_moter": ["ja"],
        "team_hjemmebesok": ["ved_behov"],
        "samarbeid_kommuner_samlet": ["noen"],
    }
    result = save_answers(response, version.definition, answers)
    assert result.ok, result.errors
    assert submit(response, version.definition) == []
    return siv


def card_for(survey, number):
    return scorecards(survey, only=number)[0]


def test_the_hospital_is_scored_only_on_the_hospitals_rules(hospital, vestfold):
    card = card_for(vestfold, "HF-SIV")
    assert [f.rule.id for f in card.findings] == ["HF-01", "HF-02", "HF-03"]
    statuses = {f.rule.id: f.status for f in card.findings}
    assert statuses == {"HF-01": DEVIATION, "HF-02": NOT_ASSESSED, "HF-03": IN_LINE}
    # Not one raw question key in what the hospital's card says.
    for finding in card.findings:
        assert not any(re.search(rf"\b{key}\b", finding.status_text) for key in KEYS)
    # The municipalities are not scored on the hospital's rules either.
    assert not any(f.rule.id.startswith("HF-") for f in card_for(vestfold, "3903").findings)


def test_the_hospital_page_and_report_show_its_own_rules(as_, hospital, vestfold):
    page = as_("gruppe").get(BASE + "HF-SIV/").content.decode()
    assert "HF-01 Samarbeidsavtale og faste møtepunkter med kommunene" in page
    assert "ORG-01" not in page and "koord_finnes" not in page
    html = to_html(report_for(vestfold))
    assert "HF-01 Samarbeidsavtale og faste møtepunkter med kommunene" in html


def export_rows(client, fmt):
    reply = client.get(BASE + f"eksport/{fmt}/")
    assert reply.status_code == 200
    if fmt == "json":
        return json.loads(reply.content)
    text = reply.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_in_line_carry_no_deviation_text(as_, vestfold, fmt):
    rows = export_rows(as_("gruppe"), fmt)
    in_line = [r for r in rows if r["status"] == "I tråd med anbefaling"]
    assert in_line
    deviation_texts = {rule.finding.split("{")[0] for rule in RULES.rules} - {""}
    for row in in_line:
        rule = RULES.rule(row["regel"])
        assert row["funn"] == f"I tråd med anbefalingen: {rule.title}.", row
        assert row["anbefaling"] == "" and row["mangler"] == ""
        assert not any(text in row["funn"] for text in deviation_texts)
    deviations = [r for r in rows if r["status"] == "Avvik"]
    assert deviations and all(r["funn"] and r["anbefaling"] for r in deviations)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_not_assessed_rows_name_the_missing_questions_by_their_text(as_, vestfold, fmt):
    rows = export_rows(as_("gruppe"), fmt)
    # Holmestrand answered nothing about ESAS-r: HEL-03 cannot be assessed.
    row = next(r for r in rows if r["organisasjonsnummer"] == "3903" and r["regel"] == "HEL-03")
    assert row["status"] == "Ikke vurdert"
    question = vestfold.questionnaire.definition.question("esas_bruk").text
    assert row["funn"] == row["mangler"] == f"Ikke vurdert – mangler svar: {question} (mangler)"
    assert row["anbefaling"] == ""
    assert not any(re.search(rf"\b{key}\b", row["mangler"]) for key in KEYS)


def test_a_rule_no_questionnaire_asks_about_is_left_out_with_one_line(
    client, django_user_model, survey, horten
):
    """The test survey's small questionnaire asks about the coordinator and tools only."""
    from tests.conftest import make_people
    from tests.reports.conftest import answered

    answered(survey, horten, "a@h.example", {"respondent_rolle": ["kreftkoordinator"],
                                             "koord_finnes": ["nei"]})  # fmt: skip
    card = card_for(survey, "3901")
    assert {f.rule.id for f in card.findings} == {"ORG-01", "HEL-02"}
    assert "ORG-09" in {r.id for r in card.left_out}
    assert not any(r.id.startswith("HF-") for r in card.left_out)  # no hospital: not for it
    html = to_html(report_for(survey))
    line = f"{len(card.left_out)} anbefalinger kunne ikke vurderes fordi spørreskjemaet ikke spør"
    assert html.count(line) == 1
    assert "ORG-09 Sykepleierbemanning i palliativ enhet" in html  # named in that line only
    assert html.count("ORG-09") == 1
    client.force_login(make_people(django_user_model, survey)["gruppe"])
    page = client.get("/kartlegginger/test/anbefalinger/3901/").content.decode()
    assert line in page and 'id="ORG-09"' not in page


def sandefjord_at_40_percent(vestfold, municipalities):
    answer(vestfold, municipalities["3907"], "k@sandefjord.example",
           GOOD | {"koord_stilling_pct": ["40"]})  # fmt: skip


def test_the_local_proposal_is_off_by_default_in_pages_report_and_exports(
    as_, vestfold, municipalities
):
    sandefjord_at_40_percent(vestfold, municipalities)
    assert "ORG-02" not in {f.rule.id for f in card_for(vestfold, "3907").findings}
    client = as_("gruppe")
    assert "ORG-02" not in client.get(BASE + "3907/").content.decode()
    assert not any(r["regel"] == "ORG-02" for r in export_rows(client, "json"))
    assert "ORG-02" not in to_html(report_for(vestfold))


def test_the_leader_turns_the_local_proposal_on_and_it_is_labelled_everywhere(
    as_, vestfold, municipalities
):
    sandefjord_at_40_percent(vestfold, municipalities)
    client = as_("leder")
    reply = client.post(BASE + "kunnskapsgrunnlag/", {"lokal-ORG-02": "1"})
    assert reply.status_code == 302
    assert RuleParameter.objects.get(rule="ORG-02", name=LOCAL_ON).value == 1
    finding = next(f for f in card_for(vestfold, "3907").findings if f.rule.id == "ORG-02")
    assert finding.status == DEVIATION
    label = "Lokalt forslag – ikke nasjonal norm"
    assert label in client.get(BASE + "3907/").content.decode()
    row = next(r for r in export_rows(client, "csv") if r["regel"] == "ORG-02")
    assert row["grunnlag"] == label
    national = next(r for r in export_rows(client, "csv") if r["regel"] == "ORG-01")
    assert national["grunnlag"] == "Nasjonal anbefaling"
    html = to_html(report_for(vestfold))
    # Its own section after the national findings, and labelled in the status table.
    heading = re.search(r">Lokale forslag – ikke nasjonal norm</h[1-6]>", html)
    assert heading is not None
    local_section = heading.start()
    assert "ORG-02" not in html[:local_section]  # not among the national findings
    assert html.index("ORG-02 Stillingsressurs til koordinator") > local_section
    assert f"ORG-02 Stillingsressurs til koordinator ({label.lower()})" in html
    # And off again.
    client.post(BASE + "kunnskapsgrunnlag/", {})
    assert not RuleParameter.objects.filter(name=LOCAL_ON).exists()
    assert "ORG-02" not in {f.rule.id for f in card_for(vestfold, "3907").findings}


def test_the_report_shows_the_hospitals_answers_in_one_section_not_percentages(hospital, vestfold):
    from kartlegging.reports.inputs import report_for

    report = report_for(vestfold)
    titles = [s.title for s in report.sections]
    assert "Helseforetaket" in titles
    assert not any(t.startswith("Helseforetaket – ") for t in titles)
    section = report.sections[titles.index("Helseforetaket")]
    assert section.blocks[0].text.startswith("Sykehuset i Vestfold (")
    assert not any(b.kind == "table" for b in section.blocks)
    # each municipal theme has at most one table of closed questions and one of numbers
    for s in report.sections:
        if s.level == 1 and not s.title.startswith(("Vedlegg", "Anbefalinger", "Metode")):
            captions = [b.table.caption for b in s.blocks if b.table]
            assert sum(c.startswith("Svar på spørsmålene") for c in captions) <= 1, s.title
