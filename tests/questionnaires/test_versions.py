"""Loading a questionnaire stores an immutable, numbered version."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kartlegging.questionnaires.models import QuestionnaireVersion, load_questionnaire
from kartlegging.questionnaires.schema import QuestionnaireError

pytestmark = pytest.mark.django_db

MINI_PATH = Path(__file__).parent.parent / "fixtures" / "mini.yaml"
MINI = MINI_PATH.read_text(encoding="utf-8")
CHANGED = MINI.replace("Hvilke verktøy brukes?", "Hvilke kartleggingsverktøy brukes?")


def load(*args: str) -> str:
    out = StringIO()
    call_command("load-questionnaire", *args, stdout=out)
    return out.getvalue()


def test_first_load_is_version_1():
    version, created = load_questionnaire(MINI)
    assert created
    assert (version.key, version.version, version.title) == ("mini", 1, "Lite testskjema")
    assert str(version) == "mini v1"


def test_identical_content_returns_the_same_version():
    first, _ = load_questionnaire(MINI)
    again, created = load_questionnaire(MINI)
    assert not created
    assert again.pk == first.pk
    assert QuestionnaireVersion.objects.count() == 1


def test_changed_content_gives_the_next_version_and_keeps_the_old():
    first, _ = load_questionnaire(MINI)
    second, created = load_questionnaire(CHANGED)
    assert created and second.version == 2
    first.refresh_from_db()
    assert first.definition.question("ident_verktoy").text == "Hvilke verktøy brukes?"
    assert second.definition.question("ident_verktoy").text == "Hvilke kartleggingsverktøy brukes?"


def test_a_loaded_version_cannot_be_saved_again():
    version, _ = load_questionnaire(MINI)
    version.source = CHANGED
    with pytest.raises(ValidationError) as caught:
        version.save()
    assert caught.value.messages == ["En lastet versjon av et spørreskjema kan ikke endres."]
    version.refresh_from_db()
    assert version.source == MINI


def test_broken_questionnaire_stores_nothing():
    with pytest.raises(QuestionnaireError):
        load_questionnaire(MINI.replace("type: heltall", "type: prosent2"))
    assert not QuestionnaireVersion.objects.exists()


def test_command_prints_key_and_version():
    assert load(str(MINI_PATH)).strip() == ("mini versjon 1 (ny versjon): 3 seksjoner, 9 spørsmål")
    assert load(str(MINI_PATH)).strip() == (
        "mini versjon 1 (uendret, samme versjon som før): 3 seksjoner, 9 spørsmål"
    )


def test_command_lists_every_error_in_a_broken_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        MINI.replace("type: heltall", "type: prosent2").replace(
            "tema: kompetanse", "tema: okonomi"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        load(str(broken))
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{broken} har 3 feil:"
    assert lines[1].startswith(
        "  seksjon organisering → spørsmål koord_stilling_pct: ukjent type 'prosent2'"
    )
    assert lines[2] == (
        "  seksjon organisering → spørsmål koord_stilling_pct: "
        "'min', 'maks' og 'enhet' gjelder bare talltyper"
    )
    assert lines[3].startswith("  seksjon kompetanse: ukjent tema 'okonomi'")
    assert not QuestionnaireVersion.objects.exists()


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="^Fant ikke filen .*finnes-ikke.yaml.$"):
        load(str(tmp_path / "finnes-ikke.yaml"))
