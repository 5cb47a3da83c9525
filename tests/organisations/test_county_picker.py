"""Picking a survey's municipalities by county from a national registry (issue 12, «any county»).

Plain form posts throughout, as a browser without JavaScript sends them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kartlegging.core.models import AuditEntry
from kartlegging.organisations.importing import import_organisations
from kartlegging.organisations.models import Organisation
from kartlegging.surveys.models import Survey

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"
CREATE = "/kartlegginger/ny/"
VESTFOLD = ["3901", "3903", "3905", "3907", "3909", "3911"]


@pytest.fixture
def registry(db) -> Organisation:
    """All 357 municipalities from SSB, and the Vestfold hospital trust."""
    import_organisations((FIXTURES / "statistikkbanken-07459.csv").read_bytes())
    return Organisation.objects.create(
        number="HF-SIV", name="Sykehuset i Vestfold", kind="helseforetak", county="Vestfold"
    )


def new_survey(mini_version, **changes) -> dict:
    return {
        "title": "Palliasjon i Vestfold",
        "slug": "vestfold-2027",
        "questionnaire": mini_version.pk,
        "size_lower": 5000,
        "size_upper": 20000,
        "reminder_interval_days": 5,
        "retention_months": 12,
        "reminder_schedule": "7,3",
        "kommunevalg": "1",
        **changes,
    }


def pks(*numbers: str) -> list[str]:
    return [str(Organisation.objects.get(number=n).pk) for n in numbers]


def numbers_of(slug: str = "vestfold-2027") -> list[str]:
    return sorted(Survey.objects.get(slug=slug).organisations.values_list("number", flat=True))


def checked(page: str) -> list[str]:
    """The names of the municipalities ticked on the page."""
    ticked = re.findall(r'name="municipalities" value="(\d+)" id="[^"]+" checked', page)
    return sorted(Organisation.objects.get(pk=pk).name for pk in ticked)


def test_the_new_survey_page_lists_every_county_and_no_municipality_yet(as_, registry):
    page = as_("utenfor").get(CREATE).content.decode()
    assert page.count('name="counties"') == 15
    assert 'name="municipalities"' not in page
    assert (
        '<button class="ds-button" data-variant="secondary" type="submit" name="handling"' in page
    )


def test_showing_a_county_ticks_all_its_municipalities_and_keeps_what_was_typed(
    as_, registry, mini_version
):
    data = new_survey(mini_version, counties=["Vestfold"], handling="vis-kommuner", title="")
    reply = as_("utenfor").post(CREATE, data)
    assert reply.status_code == 200  # no errors yet: the title is missing, but «Lagre» was not
    page = reply.content.decode()
    assert "Rett opp dette" not in page
    assert '<legend class="ds-label">Kommuner i Vestfold</legend>' in page
    assert checked(page) == ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]
    assert 'value="vestfold-2027"' in page
    assert not Survey.objects.filter(slug="vestfold-2027").exists()


def test_a_municipality_taken_away_stays_away_and_the_hospital_comes_from_the_registry(
    as_, registry, mini_version
):
    data = new_survey(
        mini_version,
        counties=["Vestfold"],
        municipalities=pks("3901", "3903", "3905", "3907", "3909"),
        others=[registry.pk],
    )
    assert as_("utenfor").post(CREATE, data).status_code == 302
    assert numbers_of() == ["3901", "3903", "3905", "3907", "3909", "HF-SIV"]


def test_a_county_saved_without_being_shown_brings_all_its_municipalities(
    as_, registry, mini_version
):
    data = new_survey(
        mini_version, counties=["Vestfold", "Telemark"], municipalities=pks("3901", "3903")
    )
    assert as_("utenfor").post(CREATE, data).status_code == 302
    telemark = Organisation.objects.filter(county="Telemark").count()
    assert telemark == 17
    assert len(numbers_of()) == 2 + telemark
    assert "3905" not in numbers_of()


def test_a_hospital_trust_typed_in_is_added_to_the_registry_and_audited(
    as_, registry, mini_version, people
):
    data = new_survey(
        mini_version, counties=["Telemark"], new_hospital="  Sykehuset   Telemark HF "
    )
    assert as_("utenfor").post(CREATE, data).status_code == 302
    hospital = Organisation.objects.get(name="Sykehuset Telemark HF")
    assert (hospital.number, hospital.kind, hospital.county) == (
        "HF-SYKEHUSET-TELEMAR",
        "helseforetak",
        "Telemark",
    )
    assert "HF-SYKEHUSET-TELEMAR" in numbers_of()
    entry = AuditEntry.objects.get(action="organisation.added")
    assert (entry.actor, entry.survey_slug) == (people["utenfor"], "vestfold-2027")
    assert entry.data == {"number": "HF-SYKEHUSET-TELEMAR", "name": "Sykehuset Telemark HF"}


def test_a_hospital_trust_typed_as_one_in_the_registry_is_not_added_twice(
    as_, registry, mini_version
):
    data = new_survey(mini_version, counties=["Vestfold"], new_hospital="sykehuset i vestfold")
    assert as_("utenfor").post(CREATE, data).status_code == 302
    assert Organisation.objects.filter(kind="helseforetak").count() == 1
    assert "HF-SIV" in numbers_of()


def test_nothing_chosen_is_refused(as_, registry, mini_version):
    reply = as_("utenfor").post(CREATE, new_survey(mini_version))
    assert reply.status_code == 422
    assert "Velg minst ett fylke, alle kommuner eller en annen organisasjon." in (
        reply.content.decode()
    )


def test_settings_show_the_survey_s_municipalities_and_taking_one_away_removes_it(
    as_, registry, survey
):
    survey.organisations.set(Organisation.objects.filter(number__in=VESTFOLD))
    page = as_("leder").get("/kartlegginger/test/innstillinger/").content.decode()
    assert checked(page) == ["Færder", "Holmestrand", "Horten", "Larvik", "Sandefjord", "Tønsberg"]
    data = {
        "title": survey.title,
        "deadline": "2027-02-15",
        "size_lower": 5000,
        "size_upper": 20000,
        "reminder_interval_days": 5,
        "retention_months": 12,
        "kommunevalg": "1",
        "counties": ["Vestfold"],
        "municipalities": pks(*VESTFOLD[:-1]),
    }
    assert as_("leder").post("/kartlegginger/test/innstillinger/", data).status_code == 302
    assert sorted(survey.organisations.values_list("number", flat=True)) == VESTFOLD[:-1]
