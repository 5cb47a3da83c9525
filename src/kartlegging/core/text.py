"""Characters that must never be stored: control characters (NUL breaks PostgreSQL and
Word files; the others are invisible and only come from copy-paste accidents or attacks)."""

from __future__ import annotations

import re

# Everything below space and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")


def first_control_character(text: str, *, multiline: bool = True) -> int | None:
    """Index of the first forbidden character (tab and line breaks only when multiline)."""
    match = (_CONTROL if multiline else _CONTROL_OR_BREAK).search(text)
    return None if match is None else match.start()
