"""A real SMTP server for tests: aiosmtpd keeps every message the site sends."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from email.message import EmailMessage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler; `to` and `wait_for` look the messages up."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, to: str, subject_part: str, timeout: float = 60) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.to(to):
                if subject_part in message["Subject"]:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"No e-mail to {to} about «{subject_part}» within {timeout:.0f} s")
