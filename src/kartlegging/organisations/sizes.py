"""Size classes of municipalities, derived from population.

Default boundaries follow the 2025 Vestfold mapping: small under 5 000, medium
5 000–19 999, large 20 000 and over. A survey can set its own (the 2012 mapping used
6 000 and 20 000).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kartlegging.core.text import is_digits

DEFAULT_BOUNDARIES = (5000, 20000)
SMALL, MEDIUM, LARGE = "liten", "mellomstor", "stor"


def size_class(
    population: int | None, boundaries: tuple[int, int] = DEFAULT_BOUNDARIES
) -> str | None:
    """Return 'liten', 'mellomstor' or 'stor'; None when population is unknown."""
    if population is None:
        return None
    lower, upper = boundaries
    if population < lower:
        return SMALL
    if population < upper:
        return MEDIUM
    return LARGE


def size_class_label(size: str | None, boundaries: tuple[int, int] = DEFAULT_BOUNDARIES) -> str:
    lower, upper = (_format_number(b) for b in boundaries)
    labels = {
        SMALL: _("Liten kommune (under %(lower)s innbyggere)") % {"lower": lower},
        MEDIUM: _("Mellomstor kommune (%(lower)s–%(upper)s innbyggere)")
        % {"lower": lower, "upper": _format_number(boundaries[1] - 1)},
        LARGE: _("Stor kommune (%(upper)s innbyggere og flere)") % {"upper": upper},
    }
    return labels.get(size or "", _("Ukjent størrelse"))


def parse_boundaries(text: str) -> tuple[int, int]:
    """Parse '5000,20000' into (5000, 20000); ValueError with a Norwegian message."""
    parts = [p.strip().replace(" ", "") for p in text.split(",")]
    if len(parts) != 2 or not all(is_digits(p, max_length=9) for p in parts):
        raise ValueError(
            _("Størrelsesgrensene må være to heltall skilt med komma, f.eks. 5000,20000.")
        )
    lower, upper = int(parts[0]), int(parts[1])
    if not 0 < lower < upper:
        raise ValueError(_("Den nedre grensen må være større enn 0 og mindre enn den øvre."))
    return lower, upper


def _format_number(number: int) -> str:
    # Norwegian thousands separator is a (non-breaking) space: 20 000.
    return f"{number:,}".replace(",", "\u00a0")
