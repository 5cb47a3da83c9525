"""Anonymous labels for organisations, as the 2025 Vestfold report names them ("Stor kommune 1").

Reports quote municipalities without naming them. Labels are numbered per
category in organisation-number order, so running the report again (or with
the organisations listed in another order) gives the same labels.

Caution: the numbering follows the organisation number, so a reader who knows
which municipalities took part can work out which is which within a category.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kartlegging.analysis.rows import clean, organisation_sort_key
from kartlegging.organisations.sizes import LARGE, MEDIUM, SMALL

# (number, name, kind, size_class) as in the table's columns.
OrganisationInfo = tuple[str, str, str, str | None]


def _category(kind: str, size: str | None) -> str:
    if kind == "kommune":
        return {
            LARGE: _("Stor kommune"),
            MEDIUM: _("Mellomstor kommune"),
            SMALL: _("Liten kommune"),
        }.get(size or "", _("Kommune"))  # population unknown
    if kind == "helseforetak":
        return _("Helseforetak")
    return _("Organisasjon")


def anonymous_labels(organisations: list[OrganisationInfo]) -> dict[str, str]:
    """Map organisation number → label such as "Mellomstor kommune 2"."""
    unique = {number: (kind, clean(size)) for number, _name, kind, size in organisations}
    counters: dict[str, int] = {}
    labels = {}
    for number in sorted(unique, key=organisation_sort_key):
        category = _category(*unique[number])
        counters[category] = counters.get(category, 0) + 1
        labels[number] = f"{category} {counters[category]}"
    return labels
