"""Outbox sender throughput against a local aiosmtpd server, beside a bare smtplib loop.

    python bench/mail.py [--messages 2000]

Both runs deliver the same messages (same MIME bytes) to the same server in this run; the
sender's figure includes claiming rows, building MIME and recording each result.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.models.types import utcnow
from coordinator.services.accounts.password_reset import request_password_reset
from coordinator.services.accounts.users import create_user
from coordinator.services.mail.sender import mime_bytes, send_due_messages
from tests.mail_server import SmtpServer
from tests.support import make_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    n = args.messages

    server = SmtpServer()
    server.start()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(
            f"sqlite:///{tmp}/bench.sqlite3",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=server.port,
            RATELIMIT_ENABLED=False,
        )
        with app.app_context():
            user = create_user("bench@example.org", "Bench", "coordinator", "bench password 1")
            db.session.commit()
            now = utcnow()
            t0 = time.perf_counter()
            for _ in range(n):
                request_password_reset(user.email, now=now)
            db.session.commit()
            queue_seconds = time.perf_counter() - t0
            messages = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
            raw = [mime_bytes(m) for m in messages]
            db.session.expire_all()

            t0 = time.perf_counter()
            report = send_due_messages(utcnow(), batch_size=500)
            sender_seconds = time.perf_counter() - t0
            assert report.sent == n, report
            assert len(server.messages) == n

            server.clear()
            t0 = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", server.port) as smtp:
                for data in raw:
                    smtp.sendmail("coordinator@example.org", ["bench@example.org"], data)
            bare_seconds = time.perf_counter() - t0
            assert len(server.messages) == n
    server.stop()

    sender_rate, bare_rate = n / sender_seconds, n / bare_seconds
    print(f"messages:             {n}")
    print(f"queue (render+insert): {n / queue_seconds:8.0f} msg/s")
    print(f"outbox sender:        {sender_rate:8.0f} msg/s  ({sender_seconds:.2f} s)")
    print(f"bare smtplib loop:    {bare_rate:8.0f} msg/s  ({bare_seconds:.2f} s)")
    print(f"sender / bare:        {sender_rate / bare_rate:8.2f}  (aim: >= 0.50)")


if __name__ == "__main__":
    main()
