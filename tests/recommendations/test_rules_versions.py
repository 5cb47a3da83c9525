"""Rules are versioned like questionnaires: a survey keeps the version it was analysed with
until the leader moves it, after a page that shows which findings would change."""

from __future__ import annotations

import pytest

from kartlegging.core.models import AuditEntry
from kartlegging.recommendations import rules as rules_module
from kartlegging.recommendations.models import RuleSetVersion, SurveyRules
from kartlegging.recommendations.service import scorecards
from kartlegging.recommendations.versions import current_version, rules_for, version_for
from kartlegging.reports.inputs import report_for

URL = "/kartlegginger/vestfold/anbefalinger/regelversjon/"


@pytest.fixture
def stricter_rules(tmp_path, monkeypatch):
    """A new rules file where ORG-01 deviates for a municipality *with* a coordinator."""
    text = rules_module.DEFAULT_RULES.read_text(encoding="utf-8")
    changed = text.replace(
        "betingelse: \"koord_finnes = 'nei'\"", "betingelse: \"koord_finnes = 'ja'\""
    )
    assert changed != text
    path = tmp_path / "regler.yaml"
    path.write_text(changed, encoding="utf-8")

    def switch():
        monkeypatch.setattr(rules_module, "DEFAULT_RULES", path)

    return switch


def status(survey, number, rule_id):
    card = next(c for c in scorecards(survey) if c.organisation.number == number)
    return next(f.status for f in card.findings if f.rule.id == rule_id)


def test_a_survey_is_pinned_to_the_version_of_its_first_analysis(vestfold):
    assert status(vestfold, "3903", "ORG-01") == "i_trad"
    pinned = SurveyRules.objects.get(survey=vestfold).version
    assert pinned == current_version() and pinned.version == 1


def test_a_changed_rules_file_is_a_new_version_and_the_survey_keeps_its_own(
    vestfold, stricter_rules
):
    assert status(vestfold, "3903", "ORG-01") == "i_trad"
    stricter_rules()
    assert current_version().version == 2
    assert version_for(vestfold).version == 1
    assert status(vestfold, "3903", "ORG-01") == "i_trad"  # not silently a deviation
    assert "versjon 1" in " ".join(
        b.text for s in report_for(vestfold).sections for b in s.blocks if b.kind == "paragraph"
    )


def test_a_stored_version_never_changes(vestfold):
    version = current_version()
    version.title = "Endret"
    with pytest.raises(Exception, match="kan ikke endres"):
        version.save()


def test_the_page_shows_the_findings_that_would_change(as_, vestfold, stricter_rules):
    version_for(vestfold)
    stricter_rules()
    page = as_("gruppe").get(URL).content.decode()
    assert "Versjon 2 finnes" in page
    assert "Holmestrand" in page and "ORG-01" in page
    assert "I tråd med anbefaling" in page and "Avvik" in page
    assert "Bare prosjektlederen kan bytte versjon." in page


def test_the_leader_moves_the_survey_after_a_tick(as_, vestfold, stricter_rules):
    version_for(vestfold)
    stricter_rules()
    page = as_("leder").post(URL, {"versjon": "2"}).content.decode()
    assert "Kryss av for at du vil bytte regelversjon." in page
    assert version_for(vestfold).version == 1
    reply = as_("leder").post(URL, {"versjon": "2", "bekreft": "1"})
    assert reply.status_code == 302
    assert version_for(vestfold).version == 2
    assert rules_for(vestfold).rule("ORG-01").condition is not None
    assert status(vestfold, "3903", "ORG-01") == "avvik"
    entry = AuditEntry.objects.get(action="rules.version_moved")
    assert entry.data == {"key": "nasjonale-anbefalinger", "before": 1, "after": 2}


def test_the_group_cannot_move_and_nobody_moves_backwards(as_, vestfold, stricter_rules):
    version_for(vestfold)
    stricter_rules()
    assert as_("gruppe").post(URL, {"versjon": "2", "bekreft": "1"}).status_code == 403
    assert as_("leder").post(URL, {"versjon": "1", "bekreft": "1"}).status_code == 404
    assert RuleSetVersion.objects.count() == 2 and version_for(vestfold).version == 1
