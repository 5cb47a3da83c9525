"""Anonymous organisation labels in the style of seed 002."""

from __future__ import annotations

from kartlegging.analysis.anonymise import anonymous_labels

ORGANISATIONS = [
    ("3905", "Tønsberg", "kommune", "stor"),
    ("3901", "Horten", "kommune", "stor"),
    ("3903", "Holmestrand", "kommune", "mellomstor"),
    ("3911", "Færder", "kommune", "stor"),
    ("3909", "Larvik", "kommune", "stor"),
    ("3912", "Hjartdal", "kommune", "liten"),
    ("3907", "Sandefjord", "kommune", "mellomstor"),
    ("HF-SIV", "Sykehuset i Vestfold", "helseforetak", None),
    ("HF-STHF", "Sykehuset Telemark", "helseforetak", None),
    ("X1", "Hospice", "annet", None),
    ("301", "Oslo", "kommune", "stor"),
    ("9999", "Ukjent", "kommune", None),
]


def test_labels_per_category_in_number_order():
    assert anonymous_labels(ORGANISATIONS) == {
        "301": "Stor kommune 1",  # 301 sorts before 3901 as a number
        "3901": "Stor kommune 2",
        "3905": "Stor kommune 3",
        "3909": "Stor kommune 4",
        "3911": "Stor kommune 5",
        "3903": "Mellomstor kommune 1",
        "3907": "Mellomstor kommune 2",
        "3912": "Liten kommune 1",
        "9999": "Kommune 1",
        "HF-SIV": "Helseforetak 1",
        "HF-STHF": "Helseforetak 2",
        "X1": "Organisasjon 1",
    }


def test_same_input_gives_same_labels_and_order_does_not_matter():
    first = anonymous_labels(ORGANISATIONS)
    assert anonymous_labels(ORGANISATIONS) == first
    assert anonymous_labels(list(reversed(ORGANISATIONS))) == first
    assert anonymous_labels(sorted(ORGANISATIONS, key=lambda o: o[1])) == first


def test_labels_do_not_contain_names():
    labels = anonymous_labels(ORGANISATIONS)
    for _number, name, _kind, _size in ORGANISATIONS:
        assert all(name not in label for label in labels.values())


def test_duplicates_are_counted_once():
    labels = anonymous_labels([ORGANISATIONS[0], ORGANISATIONS[0], ORGANISATIONS[1]])
    assert labels == {"3901": "Stor kommune 1", "3905": "Stor kommune 2"}
