"""Keep respondent tokens out of logs: a token in a URL is a password."""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/s/[^/\s\"']+")


class RedactRespondentTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message:
            record.msg = TOKEN_IN_PATH.sub("/s/[skjult]", message)
            record.args = ()
        return True
