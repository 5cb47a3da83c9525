"""The audit trail holds: append-only, outlives its survey, and records sign-ins and downloads."""

import pytest

from kartlegging.core.models import AppendOnly, AuditEntry, audit
from tests.conftest import PERSONA_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(people):
    return people["leder"]


def test_entries_cannot_be_changed_or_deleted(survey, leader):
    entry = audit("survey.changed", leader, survey, fields=["title"])
    entry.action = "noe annet"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "survey.changed"


def test_entries_outlive_their_survey_and_actor(survey, leader):
    audit("survey.changed", leader, survey, fields=["title"])
    pk = survey.pk
    survey.delete()
    leader.delete()
    entry = AuditEntry.objects.get(action="survey.changed")
    assert entry.actor is None
    assert (entry.survey_pk, entry.survey_slug, entry.actor_name) == (pk, "test", "leder")


def test_superuser_cannot_delete_entries_in_the_admin(client, django_user_model, survey, leader):
    entry = audit("survey.changed", leader, survey)
    admin = django_user_model.objects.create_superuser("sjef", password=PASSWORD)
    client.force_login(admin)
    page = client.get(f"/admin/core/auditentry/{entry.pk}/delete/")
    assert page.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_sign_ins_and_failures_are_recorded_without_passwords(client, leader):
    client.post("/konto/logg-inn/", {"username": "leder", "password": "feil-passord"})
    client.post("/konto/logg-inn/", {"username": "leder", "password": PASSWORD})
    actions = list(AuditEntry.objects.order_by("at").values_list("action", "data"))
    assert actions == [("login.failed", {"username": "leder"}), ("login.succeeded", {})]
    assert "feil-passord" not in str(actions)


def test_lockout_is_recorded(client, leader):
    for _ in range(6):
        client.post("/konto/logg-inn/", {"username": "leder", "password": "feil"})
    assert AuditEntry.objects.filter(action="login.locked_out", data__username="leder").exists()


def test_two_factor_set_up_and_failure_are_recorded(client, leader, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.KARTLEGGING_REQUIRE_2FA = True
    client.post("/konto/logg-inn/", {"username": "leder", "password": PASSWORD})
    client.get("/konto/tofaktor/")

    def right() -> str:
        return f"{totp(TOTPDevice.objects.get(user=leader).bin_key):06d}"

    client.post("/konto/tofaktor/", {"code": "999999" if right() != "999999" else "111111"})
    # The person waits out django-otp's throttle after the wrong code.
    TOTPDevice.objects.filter(user=leader).update(throttling_failure_timestamp=None)
    client.post("/konto/tofaktor/", {"code": right()})
    actions = list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["login.succeeded", "two_factor.failed", "two_factor.set_up"]


def test_report_download_is_recorded(client, leader, survey):
    from kartlegging.reports.models import ReportFile

    report = ReportFile.objects.create(
        survey=survey, format="html", status=ReportFile.Status.DONE, content=b"<h1>R</h1>"
    )
    client.force_login(leader)
    assert client.get(f"/kartlegginger/test/resultater/rapport/{report.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action="report.downloaded")
    assert (entry.actor_name, entry.data) == ("leder", {"report": report.pk, "format": "html"})


@pytest.mark.parametrize(
    ("url", "action", "fmt"),
    [
        ("/kartlegginger/test/resultater/eksport/csv/", "export.answers", "csv"),
        ("/kartlegginger/test/resultater/eksport/xlsx/", "export.answers", "xlsx"),
        ("/kartlegginger/test/eksport/respondenter.csv", "export.respondents", "csv"),
        ("/kartlegginger/test/eksport/respondenter.xlsx", "export.respondents", "xlsx"),
        ("/kartlegginger/test/anbefalinger/eksport/csv/", "export.recommendations", "csv"),
        ("/kartlegginger/test/anbefalinger/eksport/json/", "export.recommendations", "json"),
    ],
)
def test_every_export_download_is_recorded(client, leader, invited, url, action, fmt):
    client.force_login(leader)
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor_name, entry.survey_slug, entry.data["format"]) == ("leder", "test", fmt)


def test_a_wrong_code_at_login_with_an_app_set_up_is_recorded(client, leader, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.KARTLEGGING_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=leader, name="Autentiseringsapp", confirmed=True)
    right = f"{totp(device.bin_key):06d}"
    client.post("/konto/logg-inn/", {"username": "leder", "password": PASSWORD})
    client.post("/konto/tofaktor/", {"code": "999999" if right != "999999" else "111111"})
    entry = AuditEntry.objects.get(action="two_factor.failed")
    assert (entry.actor_name, entry.data) == ("leder", {"setting_up": False})
