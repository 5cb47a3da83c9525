"""Respondent tokens: random, at least 128 bits, stored only as a hash.

The token is the respondent's key, so only its SHA-256 is kept. A plain hash
is enough here (unlike passwords): 256 random bits cannot be guessed or
brute-forced, and a fast hash lets every request find its respondent by index.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32  # 256 bits
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.fullmatch(token))
