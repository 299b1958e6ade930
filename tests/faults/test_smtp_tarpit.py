"""A mail server that accepts the connection and never answers (issue 11 point 2): while
`tick` waits on it, respondents' draft saves stay fast, because the sender holds no
transaction (on SQLite: no write lock) while it talks to the network."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.mail.sender import send_due_messages
from tests.factories import make_invitation, make_survey

WAIT = 4  # seconds the sender waits for the greeting (MAIL_TIMEOUT)


@pytest.fixture
def tarpit(app) -> Iterator[int]:
    """A port that accepts connections and then says nothing, ever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    saved = {k: app.config[k] for k in ("MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_PORT=server.getsockname()[1], MAIL_TIMEOUT=WAIT)
    try:
        yield server.getsockname()[1]
    finally:
        app.config.update(saved)
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


def test_draft_saves_stay_fast_while_tick_waits_on_a_silent_mail_server(
    app, client_request, tarpit
):
    now = datetime.now(UTC)
    survey = make_survey(deadline_at=now + timedelta(days=30))
    invitation, token = make_invitation(survey)
    for i in range(3):
        db.session.add(
            OutboxMessage(
                recipient_email=f"p{i}@example.org",
                subject="Påminnelse",
                text_body="Hej",
                created_at=now,
                next_attempt_at=now,
            )
        )
    db.session.commit()
    question = survey.questions[0]
    version = client_request.get(f"/r/{token}").find("input", attrs={"name": "version"})["value"]
    db.session.rollback()  # the GET's read transaction ends with its request, as in a server

    def tick() -> None:
        with app.app_context():
            send_due_messages(now)
            db.session.remove()

    sender = threading.Thread(target=tick)
    started = time.monotonic()
    sender.start()
    time.sleep(0.5)  # the sender has claimed its batch and is waiting for the greeting
    assert sender.is_alive()
    began = time.monotonic()
    client_request.post(
        f"/r/{token}", {"action": "save", "version": version, f"q{question.id}_choice": "yes"}
    )
    saved_in = time.monotonic() - began
    sender.join()
    assert time.monotonic() - started >= WAIT  # the tarpit did hold the sender
    assert saved_in < 1.0, f"the draft save waited {saved_in:.1f} s for the sender"
    db.session.expire_all()
    assert invitation.response is not None and invitation.response.state == "draft"
    states = {m.state for m in db.session.scalars(db.select(OutboxMessage))}
    assert states == {"queued"}  # back in the queue for a retry
