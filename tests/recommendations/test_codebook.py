"""The codebook: every question with key, type, codes, condition in words and the rules that
read it, for the leader and the project group."""

from __future__ import annotations

import html

import pytest

pytestmark = pytest.mark.django_db
URL = "/kartlegginger/vestfold/kodebok/"


@pytest.mark.parametrize(("name", "status"), [("leder", 200), ("gruppe", 200), ("utenfor", 404)])
def test_codebook_for_leader_and_group(as_, vestfold, name, status):
    assert as_(name).get(URL).status_code == status


def test_codebook_lists_keys_codes_conditions_and_rules(as_, vestfold):
    page = html.unescape(as_("gruppe").get(URL).content.decode())
    assert page.count("<h1") == 1
    assert "<code>koord_stilling_pct</code>" in page
    assert "Ingen verktøy (<code>ingen</code>) – kan ikke kombineres" in page
    # The follow-up is shown only after a yes, named by the question's text.
    assert "«Har kommunen kreftkoordinator og/eller palliasjonskoordinator?» er ja" in page
    assert "ORG-01" in page  # a rule that reads the coordinator questions
    assert "Fakta om organisasjonen" in page and "Vurdering" in page
