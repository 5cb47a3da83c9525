"""Size classes of municipalities (liten / mellomstor / stor) from population."""

from __future__ import annotations

import pytest

from kartlegging.organisations.models import Organisation
from kartlegging.organisations.sizes import parse_boundaries, size_class, size_class_label

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("population", "size"),
    [
        (0, "liten"),
        (4_999, "liten"),
        (5_000, "mellomstor"),
        (19_999, "mellomstor"),
        (20_000, "stor"),
        (717_710, "stor"),
        (None, None),
    ],
)
def test_default_boundaries(population, size):
    assert size_class(population) == size


@pytest.mark.parametrize(
    ("population", "size"),
    [(5_999, "liten"), (6_000, "mellomstor"), (19_999, "mellomstor"), (20_000, "stor")],
)
def test_custom_boundaries_as_in_seed_003(population, size):
    assert size_class(population, (6000, 20000)) == size


@pytest.mark.parametrize(
    ("text", "boundaries"),
    [
        ("5000,20000", (5000, 20000)),
        ("6000, 20000", (6000, 20000)),
        (" 6 000 , 20 000 ", (6000, 20000)),
    ],
)
def test_parse_boundaries(text, boundaries):
    assert parse_boundaries(text) == boundaries


@pytest.mark.parametrize(
    "text",
    ["5000", "5000;20000", "5000,20000,50000", "fem,tjue", "", "5000,-20000", "5000.5,20000"],
)
def test_parse_boundaries_needs_two_integers(text):
    with pytest.raises(ValueError) as caught:
        parse_boundaries(text)
    assert str(caught.value) == (
        "Størrelsesgrensene må være to heltall skilt med komma, f.eks. 5000,20000."
    )


@pytest.mark.parametrize("text", ["20000,5000", "0,20000", "5000,5000"])
def test_parse_boundaries_needs_lower_below_upper(text):
    with pytest.raises(ValueError) as caught:
        parse_boundaries(text)
    assert str(caught.value) == "Den nedre grensen må være større enn 0 og mindre enn den øvre."


def test_organisation_size_class_only_for_municipalities():
    hospital = Organisation(
        number="HF-SIV", name="Sykehuset i Vestfold", kind="helseforetak", population=250_000
    )
    assert hospital.size_class() is None
    assert Organisation(number="3911", name="Færder", population=27_501).size_class() == "stor"
    assert (
        Organisation(number="3999", name="Liten", population=5_500).size_class((6000, 20000))
        == "liten"
    )
    assert Organisation(number="3998", name="Ukjent").size_class() is None


def test_size_class_labels_with_default_boundaries():
    assert size_class_label("liten") == f"Liten kommune (under 5{NBSP}000 innbyggere)"
    assert size_class_label("mellomstor") == (
        f"Mellomstor kommune (5{NBSP}000–19{NBSP}999 innbyggere)"
    )
    assert size_class_label("stor") == f"Stor kommune (20{NBSP}000 innbyggere og flere)"
    assert size_class_label(None) == "Ukjent størrelse"


def test_size_class_labels_follow_custom_boundaries():
    assert (
        size_class_label("liten", (6000, 20000)) == f"Liten kommune (under 6{NBSP}000 innbyggere)"
    )
    assert size_class_label("mellomstor", (6000, 20000)) == (
        f"Mellomstor kommune (6{NBSP}000–19{NBSP}999 innbyggere)"
    )
