from __future__ import annotations

import pytest

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.responses.services import open_response, save_answers, submit
from kartlegging.surveys.models import Survey
from tests.conftest import ROOT, invite, make_people

# A complete, consistent municipality: nothing deviates unless a test says so.
GOOD = {
    "respondent_rolle": ["koordinator"],
    "koord_finnes": ["ja"],
    "koord_stilling_pct": ["100"],
    "team_finnes": ["nei"],
    "enhet_finnes": ["nei"],
    "oremerkede_senger": ["0"],
    "interkommunal_palliasjon": ["nei"],
}


def answer(survey, organisation, email, answers, *, role="Kreftkoordinator"):
    invited = invite(survey, organisation, email=email)
    invited.respondent.role = role
    invited.respondent.save()
    response = open_response(invited.respondent)
    questionnaire = survey.questionnaire.definition
    result = save_answers(response, questionnaire, answers)
    assert result.ok, result.errors
    assert submit(response, questionnaire) == []
    return response


@pytest.fixture
def municipalities(db):
    make = Organisation.objects.create
    return {
        "3903": make(number="3903", name="Holmestrand", kind="kommune", county="Vestfold",
                     population=26872, population_year=2024),
        "3909": make(number="3909", name="Larvik", kind="kommune", county="Vestfold",
                     population=48715, population_year=2024),
        "3907": make(number="3907", name="Sandefjord", kind="kommune", county="Vestfold",
                     population=66231, population_year=2024),
    }  # fmt: skip


@pytest.fixture
def vestfold(db, municipalities):
    source = (ROOT / "questionnaires" / "palliasjon-kommune.yaml").read_text(encoding="utf-8")
    version, _created = load_questionnaire(source)
    survey = Survey.objects.create(slug="vestfold", title="Palliasjon i Vestfold",
                                   questionnaire=version, owner_name="USHT Vestfold")  # fmt: skip
    survey.organisations.set(municipalities.values())
    survey.open()
    # Holmestrand (GUIDELINES' worked example): no palliative unit.
    answer(survey, municipalities["3903"], "a@holmestrand.example",
           GOOD | {"ident_verktoy": ["ingen"]})  # fmt: skip
    answer(survey, municipalities["3903"], "b@holmestrand.example", GOOD, role="Leder")
    # Larvik: a shared catchment with Sandefjord and no team.
    answer(survey, municipalities["3909"], "a@larvik.example",
           GOOD | {"interkommunal_palliasjon": ["ja"],
                   "interkommunal_kommuner": ["Sandefjord kommune"]})  # fmt: skip
    return survey


@pytest.fixture
def people(django_user_model, vestfold) -> dict:
    return make_people(django_user_model, vestfold)
