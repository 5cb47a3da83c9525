"""The leader invites, re-roles and removes the people who work on a survey."""

import pytest

from kartlegging.core.models import AuditEntry
from kartlegging.surveys.models import Membership
from tests.accounts.test_password_reset import LINK

pytestmark = pytest.mark.django_db
URL = "/kartlegginger/test/medlemmer/"


def invite(client, capture, **data):
    with capture(execute=True):
        return client.post(URL, {"name": "Nina Ny", "role": "prosjektgruppe", **data})


@pytest.mark.parametrize(("name", "status"), [("leder", 200), ("gruppe", 403), ("utenfor", 404)])
def test_page_is_for_the_leader(client, people, name, status):
    client.force_login(people[name])
    assert client.get(URL).status_code == status
    assert client.post(URL, {}).status_code in (status, 422 if status == 200 else status)


def test_invited_person_gets_a_link_chooses_a_password_and_can_log_in(
    client,
    people,
    smtp,
    django_capture_on_commit_callbacks,
    django_user_model,
):
    client.force_login(people["leder"])
    reply = invite(client, django_capture_on_commit_callbacks, email="Nina@Horten.Kommune.no")
    assert reply.status_code == 302
    nina = django_user_model.objects.get(email="nina@horten.kommune.no")
    assert not nina.has_usable_password() and nina.is_staff
    assert Membership.objects.get(user=nina).role == "prosjektgruppe"
    (message,) = smtp.to("nina@horten.kommune.no")
    assert message["Subject"].strip() == "Du er invitert til «Testkartlegging» i Kartlegging"
    text = message.get_body(("plain",)).get_content()
    assert "leder har gitt deg tilgang" in text
    link = LINK.search(text).group(0)

    client.logout()
    form = client.get(link, follow=True)
    new = "nina-sin-lange-setning-om-vinter"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    reply = client.post("/konto/logg-inn/", {"username": "nina@horten.kommune.no", "password": new})
    assert reply.status_code == 302
    assert client.get("/kartlegginger/test/").status_code == 200
    assert AuditEntry.objects.filter(action="member.invited", data__user=nina.pk).exists()


def test_someone_already_on_the_survey_is_refused(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["leder"])
    reply = invite(client, django_capture_on_commit_callbacks, email="gruppe@usht.example.no")
    assert reply.status_code == 422
    assert "gruppe@usht.example.no er allerede med." in reply.content.decode()


def test_role_change_and_removal_are_audited(client, people, survey):
    client.force_login(people["leder"])
    group = Membership.objects.get(user=people["gruppe"])
    client.post(f"{URL}{group.pk}/rolle/", {"role": "prosjektleder"})
    group.refresh_from_db()
    assert group.role == "prosjektleder"
    client.post(f"{URL}{group.pk}/fjern/")
    assert not Membership.objects.filter(pk=group.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"member.role_changed", "member.removed"} <= actions


def test_the_last_leader_cannot_leave_or_be_demoted(client, people):
    client.force_login(people["leder"])
    own = Membership.objects.get(user=people["leder"])
    page = client.post(f"{URL}{own.pk}/rolle/", {"role": "prosjektgruppe"}, follow=True)
    assert "Kartleggingen må ha minst én prosjektleder." in page.content.decode()
    client.post(f"{URL}{own.pk}/fjern/")
    own.refresh_from_db()
    assert own.role == "prosjektleder"


@pytest.mark.parametrize("action", ["fjern", "rolle", "opphev-sperre"])
def test_group_and_outsiders_cannot_act(client, people, action):
    group = Membership.objects.get(user=people["gruppe"])
    client.force_login(people["gruppe"])
    assert client.post(f"{URL}{group.pk}/{action}/").status_code == 403
    client.force_login(people["utenfor"])
    assert client.post(f"{URL}{group.pk}/{action}/").status_code == 404
    assert Membership.objects.filter(pk=group.pk).exists()
