"""Keep respondent tokens out of logs: a token in a URL is a password."""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/s/[^/\s\"'?#]+")


def redact(text: str) -> str:
    """`/s/<token>/…` becomes `/s/[skjult]/…`, wherever it appears in the text."""
    return TOKEN_IN_PATH.sub("/s/[skjult]", text) if "/s/" in text else text


class RedactRespondentTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message:
            record.msg = redact(message)
            record.args = ()
        return True
