from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.surveys.models import Respondent, Survey

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def horten(db) -> Organisation:
    return Organisation.objects.create(
        number="3901",
        name="Horten",
        kind="kommune",
        county="Vestfold",
        population=27939,
        population_year=2024,
    )


@pytest.fixture
def mini_version(db):
    version, _created = load_questionnaire((FIXTURES / "mini.yaml").read_text(encoding="utf-8"))
    return version


@pytest.fixture
def survey(mini_version, horten) -> Survey:
    survey = Survey.objects.create(
        slug="test",
        title="Testkartlegging",
        questionnaire=mini_version,
        deadline=dt.date(2027, 2, 15),
        owner_name="USHT Test",
    )
    survey.organisations.set([horten])
    survey.open()
    return survey


@dataclass
class Invited:
    respondent: Respondent
    token: str

    def url(self, suffix: str = "") -> str:
        return f"/s/{self.token}/{suffix}"


def invite(
    survey: Survey,
    organisation: Organisation,
    email: str = "kari@horten.example",
    name: str = "Kari Testesen",
) -> Invited:
    respondent = Respondent(
        survey=survey, organisation=organisation, name=name, email=email, role="Kreftkoordinator"
    )
    respondent.save()
    token = respondent.issue_token()
    return Invited(respondent, token)


@pytest.fixture
def invited(survey, horten) -> Invited:
    return invite(survey, horten)
