"""Respondent links: long random tokens, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib

import pytest

from kartlegging.surveys.models import AccessToken, Respondent
from kartlegging.surveys.tokens import hash_token, is_well_formed, new_token


def test_token_has_at_least_128_bits_and_is_url_safe():
    token = new_token()
    assert len(token) >= 43  # token_urlsafe(32): 256 bits in base64url
    assert is_well_formed(token)
    assert token == token.strip("/?#&")


def test_tokens_are_unique():
    assert len({new_token() for _ in range(2000)}) == 2000


def test_hash_is_sha256_hex():
    assert hash_token("abc") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a" * 31,
        "a" * 65,
        "a" * 40 + "/",
        "a" * 40 + ".",
        "a" * 40 + " ",
        "../../../etc/passwd-aaaaaaaaaaaaaaaaaaaaaa",
        "a" * 40 + "\n",
        "å" * 43,
    ],
)
def test_is_well_formed_refuses_short_or_odd_input(token):
    assert not is_well_formed(token)


@pytest.mark.django_db
def test_only_the_hash_is_stored(invited):
    respondent = Respondent.objects.get(pk=invited.respondent.pk)
    stored = [str(getattr(respondent, f.attname)) for f in Respondent._meta.concrete_fields]
    link = respondent.tokens.get()
    stored += [str(getattr(link, f.attname)) for f in AccessToken._meta.concrete_fields]
    assert not any(invited.token in value for value in stored)
    assert link.token_hash == hashlib.sha256(invited.token.encode()).hexdigest()
    assert Respondent.objects.for_token(invited.token) == respondent


@pytest.mark.django_db
def test_unknown_token_finds_nobody(invited):
    with pytest.raises(Respondent.DoesNotExist):
        Respondent.objects.for_token(new_token())


@pytest.mark.django_db
def test_a_new_link_leaves_earlier_links_working(client, invited):
    new = invited.respondent.issue_token()
    assert client.get(invited.url()).status_code == 200
    assert client.get(f"/s/{new}/").status_code == 200


@pytest.mark.django_db
def test_revoked_links_stop_working(client, invited):
    assert client.get(invited.url()).status_code == 200
    invited.respondent.revoke_links()
    assert client.get(invited.url()).status_code == 404
    assert "Fant ikke siden" in client.get(invited.url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/s/abc/", "/s/" + "a" * 43 + "/", "/s/%s/del/organisering/"])
def test_bad_or_unknown_tokens_get_404(client, invited, path):
    assert client.get(path.replace("%s", new_token())).status_code == 404
