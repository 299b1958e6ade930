"""Mail that came back to the inbound mailbox: one row per message handled.

The key (SHA-256 of the message as delivered) is unique, and the row is written in the
same transaction as what the message changed. IMAP gives no exactly-once claim (two
sessions moving one message both succeed), so this key is what makes two `tick`s, or a
tick that died halfway, handle each message once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.extensions import db
from coordinator.models.types import UTCDateTime, utcnow

INBOUND_KINDS = (
    "hard_bounce",
    "soft_bounce",
    "auto_reply",
    "meeting_answer",
    "forged",
    "unrecognised",
)


class InboundMessage(db.Model):
    __tablename__ = "inbound_messages"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('hard_bounce', 'soft_bounce', 'auto_reply', 'meeting_answer', "
            "'forged', 'unrecognised')",
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    # What was found: the bounce's status and diagnostic, the answer, or why not handled.
    detail: Mapped[str] = mapped_column(Text, default="")
