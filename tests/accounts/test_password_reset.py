"""«Glemt passord»: a one-time link by e-mail (through a real SMTP server), sent by the worker."""

import re

import pytest

from kartlegging.core.models import AuditEntry

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://[^\s\"<]+/konto/nytt-passord/[^\s\"<]+/")
NEW = "en-helt-ny-setning-om-fjorden"


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user(
        "kari", email="kari@usht.example.no", password="gammelt-passord-123", is_staff=True
    )


def ask(client, email, capture):
    with capture(execute=True):
        return client.post("/konto/glemt-passord/", {"email": email})


def test_link_arrives_and_sets_a_new_password_once(
    client, kari, smtp, django_capture_on_commit_callbacks
):
    reply = ask(client, "kari@usht.example.no", django_capture_on_commit_callbacks)
    assert reply.status_code == 302 and reply["Location"] == "/konto/glemt-passord/sendt/"
    (message,) = smtp.to("kari@usht.example.no")
    assert message["Subject"] == "Nytt passord til Kartlegging"
    link = LINK.search(message.get_body(("plain",)).get_content()).group(0)

    form = client.get(link, follow=True)
    assert "Velg nytt passord" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    kari.refresh_from_db()
    assert kari.check_password(NEW)
    assert "Lenken virker ikke lenger" in client.get(link, follow=True).content.decode()
    assert AuditEntry.objects.filter(action="password_reset.sent", actor=kari).exists()


def test_unknown_address_gets_the_same_answer_and_no_email(
    client, kari, smtp, django_capture_on_commit_callbacks
):
    reply = ask(client, "ukjent@example.no", django_capture_on_commit_callbacks)
    assert reply["Location"] == "/konto/glemt-passord/sendt/"
    assert smtp.messages == []


def test_login_page_links_to_it(client):
    assert 'href="/konto/glemt-passord/"' in client.get("/konto/logg-inn/").content.decode()


def test_weak_new_password_is_refused_in_norwegian(
    client, kari, smtp, django_capture_on_commit_callbacks
):
    ask(client, "kari@usht.example.no", django_capture_on_commit_callbacks)
    link = LINK.search(smtp.messages[0].get_body(("plain",)).get_content()).group(0)
    form = client.get(link, follow=True)
    reply = client.post(
        form.redirect_chain[-1][0], {"new_password1": "kort", "new_password2": "kort"}
    )
    assert reply.status_code == 200
    assert "Passordet er for kort. Det må ha minst 12 tegn." in reply.content.decode()
