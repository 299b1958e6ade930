"""The mail server is away for many minutes while mail keeps being queued: every message
arrives exactly once when it comes back, and nothing was marked sent while it was away."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.mail.sender import send_due_messages

START = datetime(2026, 8, 22, 9, 0, tzinfo=UTC)


def _queue(n, offset, now):
    for i in range(n):
        db.session.add(
            OutboxMessage(
                recipient_email=f"p{offset + i}@example.org",
                subject="Påminnelse",
                text_body="Hej",
                created_at=now,
                next_attempt_at=now,
            )
        )
    db.session.commit()


def test_outbox_fills_while_smtp_is_away_then_drains_once(app, smtp_server):
    smtp_server.stop()
    queued = 0
    for minute in range(0, 30, 3):  # a tick every three minutes for half an hour
        now = START + timedelta(minutes=minute)
        _queue(40, queued, now)
        queued += 40
        report = send_due_messages(now)
        assert report.sent == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "sent")
        )
        == 0
    )

    smtp_server.start()
    now = START + timedelta(minutes=30)
    total = 0
    for _ in range(12):  # ticks after the server is back, until the backoff has passed
        total += send_due_messages(now).sent
        now += timedelta(minutes=10)
    assert total == queued == 400
    recipients = [str(m["To"]) for m in smtp_server.messages]
    assert len(recipients) == 400 and len(set(recipients)) == 400
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state != "sent")
        )
        == 0
    )
