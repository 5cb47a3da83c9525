"""Everything the report needs, read from the database once: the one service in front of the
pure report model (reports/model.py runs no query and imports no model).

`gather` reads the tidy table, the respondents and who submitted, the leader's fact choices,
the rules with the survey's thresholds and the scorecards; `report_for` builds the report
from them. Views, the background task and the `report` command all go through `report_for`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils import timezone

from kartlegging.analysis.facts import Fact, facts_by_questionnaire
from kartlegging.analysis.frequencies import counted_units
from kartlegging.analysis.models import FactChoice
from kartlegging.analysis.table import build_table
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.questionnaires.schema import Questionnaire
from kartlegging.recommendations.rules import RuleSet
from kartlegging.recommendations.service import Scorecard, scorecards, survey_parameters
from kartlegging.recommendations.versions import parsed, version_for
from kartlegging.reports.model import Report, build_report
from kartlegging.reports.models import ReportSettings
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Survey


@dataclass
class ReportInputs:
    survey: Survey  # plain attributes only (title, dates, boundaries): no lookups from here on
    versions: list[QuestionnaireVersion]  # the main questionnaire, then the hospitals'
    table: pd.DataFrame
    organisations: list[Organisation]
    # One entry per active respondent (not removed, not handed on): organisation, submitted?
    respondents: list[tuple[Organisation, bool]]
    choices: dict[tuple[str, str], Any]
    rules: RuleSet
    parameters: dict[str, dict[str, float]]
    cards: list[Scorecard]
    today: dt.date
    summary: str = ""  # the leader's «Sammendrag»; empty: drafted from the data
    rules_version: int = 0  # the version of the rules file the findings come from
    logo: bytes | None = None  # PNG for the cover
    # Organisation facts per questionnaire key, worked out once for scorecards and counting.
    facts: dict[str, list[Fact]] = field(default_factory=dict, repr=False)
    _units: dict[str, list] = field(default_factory=dict, repr=False)

    def units(self, questionnaire: Questionnaire) -> list:
        """The questionnaire's counted units (analysis.frequencies.counted_units), worked out
        once: the summary, the results and the fact sheets all count from them."""
        if questionnaire.key not in self._units:
            self._units[questionnaire.key] = counted_units(
                self.table[self.table["questionnaire"] == questionnaire.key],
                questionnaire,
                self.choices,
                self.facts.get(questionnaire.key),
            )
        return self._units[questionnaire.key]


def gather(survey: Survey) -> ReportInputs:
    table = build_table(survey)
    rules_version = version_for(survey)
    rules = parsed(rules_version)
    parameters = survey_parameters(survey)
    active = survey.respondents.filter(
        removed_at__isnull=True, handed_to__isnull=True
    ).select_related("organisation")
    submitted = set(
        Response.objects.filter(
            respondent__in=active, status=Response.Status.SUBMITTED
        ).values_list("respondent_id", flat=True)
    )
    own = ReportSettings.objects.filter(survey=survey).first()
    versions = survey.questionnaire_versions()
    choices = FactChoice.choices_for(survey)
    facts = facts_by_questionnaire(table, [v.definition for v in versions], choices)
    return ReportInputs(
        survey=survey,
        versions=versions,
        table=table,
        organisations=list(survey.organisations.all()),
        respondents=[(r.organisation, r.pk in submitted) for r in active],
        choices=choices,
        rules=rules,
        parameters=parameters,
        cards=scorecards(survey, rules, parameters=parameters, table=table, facts=facts),
        today=timezone.localdate(),
        summary=own.summary if own else "",
        rules_version=rules_version.version,
        logo=bytes(own.logo) if own and own.logo else None,
        facts=facts,
    )


def report_for(survey: Survey, *, anonymise: bool = False) -> Report:
    return build_report(gather(survey), anonymise=anonymise)
