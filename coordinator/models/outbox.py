"""Outgoing e-mail: written in the transaction that caused it, delivered by the sender."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.organisations import Contact
from coordinator.models.types import UTCDateTime, utcnow

OUTBOX_STATES = ("queued", "sending", "sent", "failed", "skipped", "bounced")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'bounced')",
            name="state",
        ),
        Index("ix_outbox_messages_due", "state", "next_attempt_at"),
        Index("ix_outbox_messages_cause", "cause_type", "cause_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The secret links of the message are not stored: the bodies and headers hold a
    # random stand-in for each token, which the sender replaces as the message leaves,
    # from what it re-derives: {stand-in: [kind, id, ...]} (services/mail/secret_links.py).
    secret_links: Mapped[dict[str, list[Any]]] = mapped_column(JSON, default=dict)
    # What caused the message, e.g. ("invitation", 12) or ("password_reset", 3).
    cause_type: Mapped[str] = mapped_column(String(40), default="")
    cause_id: Mapped[int | None] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # When a bounce came back for it ("bounced": the reason is in last_error).
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact: Mapped[Contact | None] = relationship()
    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.state} to={self.recipient_email}>"


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # Extra MIME parameters, e.g. {"method": "REQUEST"} for a calendar invitation.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
