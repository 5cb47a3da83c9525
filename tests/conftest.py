from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.surveys.models import Membership, Respondent, Survey
from tests.smtp import Inbox, free_port

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


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a real SMTP server on 127.0.0.1."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


PERSONA_PASSWORD = "passord-1234567"


def make_people(django_user_model, survey: Survey) -> dict:
    """The three personas of every permission test: the survey's leader, its project group,
    and a staff user from outside it."""
    users = {}
    for name, role in (
        ("leder", Membership.Role.LEADER),
        ("gruppe", Membership.Role.GROUP),
        ("utenfor", None),
    ):
        users[name] = django_user_model.objects.create_user(
            name, email=f"{name}@usht.example.no", password=PERSONA_PASSWORD, is_staff=True
        )
        if role:
            Membership.objects.create(survey=survey, user=users[name], role=role)
    return users


@pytest.fixture
def people(django_user_model, survey) -> dict:
    """The personas on the `survey` fixture; a test package with its own survey overrides
    this fixture with `make_people` on that survey."""
    return make_people(django_user_model, survey)


@pytest.fixture
def as_(client, people):
    """`as_("gruppe")` is the test client logged in as that persona."""

    def login(name):
        client.force_login(people[name])
        return client

    return login
