"""Recommendations end to end: facts → findings → the leader's decisions → report and exports."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from docx import Document

from kartlegging.analysis.models import FactChoice
from kartlegging.core.models import AuditEntry
from kartlegging.recommendations.engine import DEVIATION, NOT_ASSESSED, NOT_RELEVANT
from kartlegging.recommendations.models import FindingDecision, RuleParameter
from kartlegging.recommendations.service import scorecards
from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_docx

pytestmark = pytest.mark.django_db

BASE = "/kartlegginger/vestfold/anbefalinger/"
PAGES = ["", "3903/", "region/", "eksport/csv/", "eksport/json/"]


def status(survey, number, rule_id):
    card = scorecards(survey, only=number)[0]
    return next(f for f in card.findings if f.rule.id == rule_id)


@pytest.mark.parametrize("page", PAGES)
def test_pages_for_leader_and_group_not_outsiders(as_, vestfold, page):
    assert as_("leder").get(BASE + page).status_code == 200
    assert as_("gruppe").get(BASE + page).status_code == 200
    assert as_("utenfor").get(BASE + page).status_code == 404


def test_holmestrand_without_unit_gets_org06_with_answers_and_source(as_, vestfold):
    finding = status(vestfold, "3903", "ORG-06")
    assert finding.status == DEVIATION
    assert status(vestfold, "3903", "ORG-07").status == NOT_RELEVANT  # over 15 000
    page = as_("gruppe").get(BASE + "3903/").content.decode()
    assert "ORG-06 " in page and "Avvik" in page
    assert "Kommunen har verken en palliativ (lindrende) enhet" in page
    assert "Slik vil vi ha det" in page and "Slik gjør vi det" in page
    assert "26\u00a0872 (per 1.1.2024)" in page  # the register's population behind it
    assert "Kreftkoordinator, Leder" in page  # roles of those who answered
    assert "Vedlegg 1.8" in page


def test_larvik_catchment_with_sandefjord_passes_50000(vestfold):
    org03 = status(vestfold, "3909", "ORG-03")
    assert org03.status == DEVIATION
    catchment = next(i for i in org03.inputs if i.name == "nedslagsfelt")
    assert catchment.value == 48715 + 66231
    assert "med Sandefjord" in catchment.text
    assert status(vestfold, "3909", "ORG-04").status == NOT_RELEVANT


def test_organisation_without_answers_is_not_assessed_on_every_rule(as_, vestfold):
    card = scorecards(vestfold, only="3907")[0]
    assert card.responses == 0
    assert {f.status for f in card.findings} == {NOT_ASSESSED}
    page = as_("gruppe").get(BASE + "3907/").content.decode()
    assert "Ingen har sendt inn svar for denne organisasjonen ennå" in page
    assert "ORG-01" not in page  # one notice, not 35 identical «ikke vurdert»


def test_disputed_fact_is_not_assessed_until_the_leader_chooses(vestfold, municipalities):
    from tests.recommendations.conftest import GOOD, answer

    answer(vestfold, municipalities["3907"], "a@s.example", GOOD | {"info_nettside": ["ja"]})
    answer(vestfold, municipalities["3907"], "b@s.example", GOOD | {"info_nettside": ["nei"]})
    finding = status(vestfold, "3907", "APN-01")
    assert finding.status == NOT_ASSESSED
    assert "ulike svar" in finding.reason
    FactChoice.objects.create(survey=vestfold, organisation="3907", question="info_nettside",
                              value="nei")  # fmt: skip
    assert status(vestfold, "3907", "APN-01").status == DEVIATION


def test_leader_edits_and_dismisses_and_the_report_follows(as_, vestfold):
    client = as_("leder")
    url = BASE + "3903/"
    edited = client.post(
        url + "ORG-06/",
        {
            "action": "endret",
            "finding": "Holmestrand mangler lindrende enhet, men planlegger en i 2027.",
            "recommendation": "",
        },
    )
    assert edited.status_code == 302
    refused = client.post(url + "HEL-02/", {"action": "avvist", "reason": ""}, follow=True)
    assert "Skriv hvorfor funnet avvises." in refused.content.decode()
    client.post(url + "HEL-02/", {"action": "avvist", "reason": "Bruker SPICT fra 2026."})
    decisions = {d.rule: d.action for d in FindingDecision.objects.all()}
    assert decisions == {"ORG-06": "endret", "HEL-02": "avvist"}
    assert AuditEntry.objects.filter(action="finding.decided").count() == 2
    page = client.get(url).content.decode()
    assert "planlegger en i 2027" in page and "Bruker SPICT fra 2026." in page

    document = Document(io.BytesIO(to_docx(report_for(vestfold))))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Anbefalinger" in headings
    assert "Holmestrand mangler lindrende enhet, men planlegger en i 2027." in text
    assert "Slik vil vi ha det" in text and "Slik gjør vi det" in text
    assert "Nasjonalt handlingsprogram med retningslinjer for palliasjon" in text  # source
    assert "HEL-02 Systematisk identifisering" not in text or "avvist" in text
    # The dismissed finding's text is nowhere in the recommendations chapter
    chapter = text[text.index("Slik vil vi ha det") :]
    assert "bruker ikke et systematisk verktøy for å identifisere" not in chapter


def test_project_group_cannot_decide_or_change_thresholds(as_, vestfold):
    client = as_("gruppe")
    assert client.post(BASE + "3903/ORG-06/", {"action": "godtatt"}).status_code == 403
    assert client.post(BASE + "terskler/", {"minste_stilling": "30"}).status_code == 403
    assert not FindingDecision.objects.exists()


def test_leader_sets_a_local_threshold_and_bad_numbers_are_refused(as_, vestfold):
    client = as_("leder")
    page = client.post(BASE + "terskler/", {"minste_stilling": "30,5", "terskel_enhet": "mange",
                                            "terskel_innbyggere": "45000"}, follow=True)  # fmt: skip
    assert "«mange» er ikke et tall" in page.content.decode()
    stored = RuleParameter.objects.get(rule="ORG-02", name="minste_stilling")
    assert stored.value == 30.5
    # a shared threshold is set for every rule that uses it, so ORG-03 and ORG-04 agree
    shared = RuleParameter.objects.filter(name="terskel_innbyggere")
    assert sorted(shared.values_list("rule", flat=True)) == ["ORG-03", "ORG-04", "ORG-11"]
    assert status(vestfold, "3909", "ORG-03").status == DEVIATION  # 48 715 ≥ 45 000 alone
    assert AuditEntry.objects.filter(action="threshold.set").count() == 2


def test_region_view_names_organisations_and_answers_behind_opportunities(as_, vestfold):
    page = as_("gruppe").get(BASE + "region/").content.decode()
    assert "Kommuner × nøkkelindikatorer" in page
    assert "Holmestrand" in page and "Larvik" in page
    assert "Palliativ plan" in page


def test_command_writes_one_row_per_organisation_and_rule(vestfold, tmp_path):
    out = tmp_path / "anbefalinger.json"
    call_command("recommendations", "--survey", "vestfold", "--format", "json", "-o", str(out))
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 3 * 35
    org06 = next(r for r in rows if r["organisasjon"] == "Holmestrand" and r["regel"] == "ORG-06")
    assert org06["status"] == "Avvik"
    assert {a["sporsmal"] for a in org06["svar"]} == {
        "enhet_finnes",
        "oremerkede_senger",
        "interkommunal_palliasjon",
        "innbyggere",
    }
    assert "Vedlegg 1.8" in org06["kilder"]
    csv_out = tmp_path / "anbefalinger.csv"
    call_command("recommendations", "--survey", "vestfold", "--format", "csv", "-o", str(csv_out),
                 "--parameter", "minste_stilling=30")  # fmt: skip
    text = csv_out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("organisasjon;organisasjonsnummer;regel;tema")
    assert len(text.splitlines()) == 1 + 3 * 35


def test_command_refuses_unknown_threshold(vestfold, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ukjent terskel «foo»"):
        call_command("recommendations", "--survey", "vestfold", "--format", "csv",
                     "-o", str(tmp_path / "x.csv"), "--parameter", "foo=1")  # fmt: skip
