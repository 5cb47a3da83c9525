"""Login throttling: five wrong passwords lock the account until the cool-off or an unlock."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logg-inn/"


def log_in(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_sixth_wrong_password_is_refused_with_when_to_try_again(client, staff, password):
    for _ in range(5):
        reply = log_in(client, "kari", "feil-passord")
        assert reply.status_code == 200
        assert "Brukernavnet eller passordet er feil" in reply.content.decode()
    reply = log_in(client, "kari", "feil-passord")
    assert reply.status_code == 429
    page = reply.content.decode()
    assert "Innloggingen er sperret" in page and "sperret i 30 minutter" in page
    assert "Prøv igjen etter kl." in page


def test_right_password_is_refused_while_locked_and_works_after_unlock(client, staff, password):
    for _ in range(6):
        log_in(client, "kari", "feil-passord")
    assert log_in(client, "kari", password).status_code == 429
    assert client.get("/konto/sikkerhet/").status_code == 302  # not logged in

    call_command("axes_reset_username", "kari", stdout=io.StringIO())
    assert log_in(client, "kari", password).status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, staff, password):
    for n in range(6):
        log_in(client, f"gjett{n}", "feil-passord", ip="198.51.100.7")
    assert log_in(client, "kari", password, ip="198.51.100.7").status_code == 429
    assert log_in(client, "kari", password, ip="192.0.2.99").status_code == 302


def test_success_resets_the_count(client, staff, password):
    for _ in range(4):
        log_in(client, "kari", "feil-passord")
    assert log_in(client, "kari", password).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "kari", "feil-passord")
    assert log_in(client, "kari", password).status_code == 302


def test_the_leader_sees_a_locked_member_and_lifts_the_lock(client, people, password):
    from django.test import Client

    from kartlegging.core.models import AuditEntry

    group = people["gruppe"]
    group.set_password(password)
    group.save()
    for _ in range(6):
        log_in(client, "gruppe", "feil-passord", ip="192.0.2.50")
    assert log_in(client, "gruppe", password, ip="192.0.2.51").status_code == 429

    leader = Client()
    leader.force_login(people["leder"])
    page = leader.get("/kartlegginger/test/medlemmer/").content.decode()
    assert page.count("Sperret etter for mange feil passord.") == 1
    pk = group.memberships.get().pk
    # Only the leader of the member's survey can lift it (signing in as the member would
    # reset the count itself, so the project-group case is in the members page's tests).
    outsider = Client()
    outsider.force_login(people["utenfor"])
    assert outsider.post(f"/kartlegginger/test/medlemmer/{pk}/opphev-sperre/").status_code == 404

    reply = leader.post(f"/kartlegginger/test/medlemmer/{pk}/opphev-sperre/", follow=True)
    assert "gruppe@usht.example.no kan logge inn igjen." in reply.content.decode()
    assert "Sperret etter" not in reply.content.decode()
    assert AuditEntry.objects.filter(action="login.unlocked", data={"user": group.pk}).exists()
    assert log_in(Client(), "gruppe", password, ip="192.0.2.51").status_code == 302
