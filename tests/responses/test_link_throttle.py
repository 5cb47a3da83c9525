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
    assert client.get(invited.url(), **SCANNER).status_code == 429  # the address waits
    assert client.get(invited.url(), REMOTE_ADDR="192.0.2.1").status_code == 200


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
