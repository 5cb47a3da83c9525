"""The survey's audit log page: the leader sees and filters it; others do not."""

import pytest

from kartlegging.core.models import audit

pytestmark = pytest.mark.django_db
URL = "/kartlegginger/test/logg/"


@pytest.fixture
def entries(survey, people):
    audit("survey.opened", people["leder"], survey)
    audit("export.answers", people["gruppe"], survey, format='=HYPERLINK("http://x")')
    audit("respondent.added", people["leder"], survey, respondent=7)


def test_leader_sees_every_entry_newest_first(client, people, entries):
    client.force_login(people["leder"])
    page = client.get(URL).content.decode()
    assert page.count("<h1") == 1
    rows = page.split("<tbody>")[1]
    assert (
        rows.index("respondent.added") < rows.index("export.answers") < rows.index("survey.opened")
    )


@pytest.mark.parametrize(("name", "status"), [("gruppe", 403), ("utenfor", 404)])
def test_project_group_is_refused_and_outsiders_see_nothing(client, people, entries, name, status):
    client.force_login(people[name])
    assert client.get(URL).status_code == status


def test_filters_by_action_and_person(client, people, entries):
    client.force_login(people["leder"])
    body = client.get(URL, {"person": "gruppe"}).content.decode().split("<tbody>")[1]
    assert "export.answers" in body and "survey.opened" not in body
    body = client.get(URL, {"handling": "survey.opened"}).content.decode().split("<tbody>")[1]
    assert "survey.opened" in body and "respondent.added" not in body
    page = client.get(URL, {"fra": "2000-01-01", "til": "2000-01-02"}).content.decode()
    assert "Ingen handlinger passer med utvalget." in page


def test_csv_download_is_formula_safe(client, people, entries):
    client.force_login(people["leder"])
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tidspunkt")
    assert "survey.opened" in text and "\n=" not in text and ",=" not in text


def test_the_csv_download_is_itself_in_the_log(client, people, entries):
    from kartlegging.core.models import AuditEntry

    client.force_login(people["leder"])
    client.get(URL, {"format": "csv"})
    assert AuditEntry.objects.get(action="export.audit_log").actor_name == "leder"


@pytest.mark.parametrize("query", [{"person": "\x00"}, {"handling": "a\x00b"}, {"fra\x00": "1"}])
def test_a_nul_byte_in_a_filter_is_a_400_not_a_database_error(client, people, entries, query):
    # PostgreSQL cannot compare a string with NUL: it must never get that far.
    client.force_login(people["leder"])
    reply = client.get(URL, query)
    assert reply.status_code == 400
    assert "Forespørselen kunne ikke behandles" in reply.content.decode()
