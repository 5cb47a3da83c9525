"""Wrong respondent links cost; a respondent's own link never locks them out."""

import pytest

pytestmark = pytest.mark.django_db
SCANNER = {"REMOTE_ADDR": "203.0.113.9"}


def wrong_link(n: int) -> str:
    return f"/s/{'A' * 40}{n:03d}/"


def test_the_21st_wrong_link_from_one_address_is_refused_for_a_while(client, invited):
    for n in range(20):
        assert client.get(wrong_link(n), **SCANNER).status_code == 404
    refused = client.get(wrong_link(99), **SCANNER)
    assert refused.status_code == 429
    assert "Vent 10 minutter og prøv igjen." in refused.content.decode()
    assert client.get(wrong_link(98), REMOTE_ADDR="192.0.2.1").status_code == 404  # others not


def test_the_right_link_works_from_an_address_that_waits(client, invited):
    # A colleague behind the same municipal NAT as the scanner is not locked out.
    for n in range(21):
        client.get(wrong_link(n), **SCANNER)
    assert client.get(wrong_link(99), **SCANNER).status_code == 429
    assert client.get(invited.url(), **SCANNER).status_code == 200


def test_the_right_link_costs_no_throttle_query(client, invited, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(invited.url())  # the first visit opens the response
    with CaptureQueriesContext(connection) as queries:
        assert client.get(invited.url()).status_code == 200
    assert not [q for q in queries if "throttlecount" in q["sql"].lower()]


def test_using_the_right_link_never_counts(client, invited):
    for _ in range(50):
        assert client.get(invited.url(), **SCANNER).status_code == 200


def test_a_stale_window_starts_afresh(client, invited):
    import datetime as dt

    from django.utils import timezone

    from kartlegging.core.models import ThrottleCount

    for n in range(20):
        client.get(wrong_link(n), **SCANNER)
    ThrottleCount.objects.update(window_start=timezone.now() - dt.timedelta(minutes=11))
    assert client.get(wrong_link(1), **SCANNER).status_code == 404
    assert ThrottleCount.objects.get().count == 1


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "seen"),
    [
        ("203.0.113.5", "", 1, "203.0.113.5"),  # reached directly
        ("127.0.0.1", "198.51.100.7", 1, "198.51.100.7"),  # nginx appended the client
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # a spoofed claim
        ("203.0.113.5", "6.6.6.6", 1, "203.0.113.5"),  # not from our proxy: header ignored
        ("127.0.0.1", "198.51.100.7", 0, "127.0.0.1"),  # no proxy configured
    ],
)
def test_client_address_trusts_only_what_our_proxy_appended(
    rf, settings, remote, forwarded, proxies, seen
):
    from kartlegging.core.throttle import client_address

    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert client_address(rf.get("/", **meta)) == seen


def test_no_address_at_all_is_none_not_a_made_up_one():
    # PostgreSQL's inet columns (django-axes' access log) refuse anything but an address.
    from django.http import HttpRequest

    from kartlegging.core.throttle import client_address

    assert client_address(HttpRequest()) is None
