"""Versions of the rules file, and the version each survey is analysed with.

Like questionnaires, the rules are data that change (GUIDELINES §5 changed findings), so a
survey must not silently get other findings when the file is updated. The file is loaded
as the next immutable RuleSetVersion when its text changes; a survey is pinned to the
newest version at its first analysis and stays on it until the leader moves it, after a
page that shows which findings would change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from kartlegging.core.models import audit
from kartlegging.recommendations import rules as rules_file
from kartlegging.recommendations.models import RuleSetVersion, SurveyRules
from kartlegging.recommendations.rules import RuleSet, parse_rules
from kartlegging.surveys.models import Survey


def current_version(path: Path | str | None = None) -> RuleSetVersion:
    """The rules file as a stored version: the newest one, or the next when the text changed."""
    path = Path(path or rules_file.DEFAULT_RULES)
    ruleset = rules_file.load_rules(path)  # parsed (and so checked) before it is stored
    version, _created = RuleSetVersion.store(
        ruleset.key, ruleset.title, path.read_text(encoding="utf-8")
    )
    return version


def version_for(survey: Survey) -> RuleSetVersion:
    """The version the survey is analysed with; the newest one at its first analysis."""
    choice = SurveyRules.objects.select_related("version").filter(survey=survey).first()
    if choice is not None:
        return choice.version
    choice, _created = SurveyRules.objects.get_or_create(
        survey=survey, defaults={"version": current_version()}
    )
    return choice.version


def rules_for(survey: Survey) -> RuleSet:
    return parsed(version_for(survey))


def parsed(version: RuleSetVersion) -> RuleSet:
    return _parse(version.pk, version.sha256, version.source)


@functools.lru_cache(maxsize=16)
def _parse(pk: int, sha256: str, source: str) -> RuleSet:
    return parse_rules(source)


def move(survey: Survey, version: RuleSetVersion, user) -> None:
    """Analyse the survey with `version` from now on (audited)."""
    before = version_for(survey)
    SurveyRules.objects.update_or_create(
        survey=survey, defaults={"version": version, "chosen_by": user}
    )
    audit(
        "rules.version_moved",
        user,
        survey,
        key=version.key,
        before=before.version,
        after=version.version,
    )


@dataclass
class ChangedFinding:
    organisation: str
    rule: str  # «ORG-06 Lindrende enhet»
    before: str  # status label, or «Ikke med» when the rule is new or gone
    after: str


def changed_findings(before: list, after: list) -> list[ChangedFinding]:
    """Findings whose status would change, from two lists of scorecards of the same survey
    (the current rules version and the newer one), in organisation and rule order."""
    absent = _("Ikke med")
    changes = []
    for old_card, new_card in zip(before, after, strict=True):
        old = {f.rule.id: f for f in old_card.findings}
        new = {f.rule.id: f for f in new_card.findings}
        for rule_id in sorted(old.keys() | new.keys()):
            was, becomes = old.get(rule_id), new.get(rule_id)
            was_label = was.status_label if was else absent
            becomes_label = becomes.status_label if becomes else absent
            if was_label != becomes_label:
                rule = (becomes or was).rule  # type: ignore[union-attr]
                changes.append(
                    ChangedFinding(
                        old_card.organisation.name,
                        f"{rule.id} {rule.title}",
                        was_label,
                        becomes_label,
                    )
                )
    return changes
