"""Characters that must never be stored: control characters (NUL breaks PostgreSQL and
Word files; the others are invisible and only come from copy-paste accidents or attacks)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Everything below space and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")


def is_digits(text: str, *, max_length: int = 18) -> bool:
    """Only the digits 0–9 (str.isdigit also takes «²» and other scripts' digits, which
    int() then refuses), and not longer than a database integer holds."""
    return len(text) <= max_length and _DIGITS.fullmatch(text) is not None


def first_control_character(text: str, *, multiline: bool = True) -> int | None:
    """Index of the first forbidden character (tab and line breaks only when multiline)."""
    match = (_CONTROL if multiline else _CONTROL_OR_BREAK).search(text)
    return None if match is None else match.start()


def control_character_refusal(text: str, *, multiline: bool = True) -> str | None:
    """The Norwegian refusal for a text with a forbidden character, or None."""
    if first_control_character(text, multiline=multiline) is None:
        return None
    if not multiline and first_control_character(text) is None:
        return _("Skriv teksten på én linje, uten linjeskift.")
    return _(
        "Teksten inneholder et usynlig kontrolltegn som ikke kan lagres, ofte fra "
        "innliming. Skriv inn teksten på nytt, eller lim den inn som ren tekst."
    )
