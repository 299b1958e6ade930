"""A real SMTP server on 127.0.0.1 (aiosmtpd) that tests can inspect, stop and restart,
and tell to refuse chosen recipients with 451 (try later) or 550 (never)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}
        # Hang up on the client once this many messages have been accepted.
        self.hang_up_after: int | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.hang_up_after is not None and len(self.messages) >= self.hang_up_after:
            server.transport.close()
            return "421 4.3.2 Closing connection"
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def refuse(self, address: str, reply: str) -> None:
        self.handler.refuse[address.lower()] = reply

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.envelopes.clear()
        self.handler.refuse.clear()
        self.handler.hang_up_after = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]


@contextmanager
def smtp_for(app: Any) -> Iterator[SmtpServer]:
    """A running SMTP server, with the app's MAIL_* settings pointing at it."""
    server = SmtpServer()
    server.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL")
    saved = {k: app.config[k] for k in keys}
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False, MAIL_USE_SSL=False
    )
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)


@pytest.fixture
def smtp_server(app: Any) -> Iterator[SmtpServer]:
    with smtp_for(app) as server:
        yield server
