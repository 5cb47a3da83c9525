from __future__ import annotations

import pytest

from kartlegging.responses.services import open_response, save_answers, submit
from tests.conftest import invite
from tests.recommendations.conftest import municipalities, vestfold  # noqa: F401 (fixtures)

FORMULA = '=HYPERLINK("http://example.invalid","x")'


def answered(survey, organisation, email, answers, *, finish=True):
    """A respondent who answered (and by default submitted) through the normal save path."""
    respondent = invite(survey, organisation, email=email).respondent
    response = open_response(respondent)
    questionnaire = survey.questionnaire.definition
    result = save_answers(response, questionnaire, answers)
    assert result.ok, result.errors
    if finish:
        assert submit(response, questionnaire) == []
    return response


@pytest.fixture
def two_answers(survey, horten):
    answered(
        survey,
        horten,
        "a@h.example",
        {
            "respondent_rolle": ["kreftkoordinator"],
            "koord_finnes": ["ja"],
            "koord_stilling_pct": ["60"],
            "ident_verktoy": ["spict", "annet"],
            "kompetanse_utdyp": [FORMULA],
            "enhet_pleiefaktor_dag": ["0,5"],
            "samarbeid_fastlege": ["stor"],
        },
    )
    answered(
        survey,
        horten,
        "b@h.example",
        {
            "respondent_rolle": ["annet"],
            "respondent_rolle_annet": ["Fysioterapeut"],
            "koord_finnes": ["nei"],
            "samarbeid_fastlege": ["liten"],
            "kompetanse_utdyp": ["Vi trenger mer hospitering."],
        },
    )
    return survey
