"""What a message from the inbound mailbox changes, recorded exactly once.

`record(finding, key, now)` writes an InboundMessage whose key (a hash of the message)
is unique, together with the change the message brings: a hard bounce marks the outgoing
message "bounced" and the contact's address as bouncing; a soft bounce is only noted;
an automatic reply is noted on the invitation it answers; a meeting answer is stored
for the invitee. Two readers that fetched the same message both try; the database lets
one of them through. Nothing here ever sends mail: automatic replies are not answered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordinator.extensions import db
from coordinator.models import (
    Attendance,
    Contact,
    InboundMessage,
    Invitation,
    Meeting,
    OutboxMessage,
    Response,
)
from coordinator.services.audit import record_event
from coordinator.services.mail.recognise import Finding
from coordinator.services.projects.attendance import record_answer


def record(finding: Finding, key: str, now: datetime) -> bool:
    """Apply the finding and commit; False if another reader had already handled the
    same message (nothing is changed then)."""
    message = db.session.get(OutboxMessage, finding.outbox_id) if finding.outbox_id else None
    entry = InboundMessage(
        key=key,
        received_at=now,
        kind=finding.kind,
        outbox_message_id=message.id if message else None,
        detail=finding.detail[:2000],
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    if finding.kind == "hard_bounce" and message is not None:
        _hard_bounce(message, finding, now)
    elif finding.kind == "auto_reply" and message is not None:
        _auto_reply(message, finding, now)
    elif finding.kind == "meeting_answer":
        entry.meeting_id = _meeting_answer(finding, now)
    try:
        db.session.commit()
    except IntegrityError:  # the other reader's row arrived between flush and commit
        db.session.rollback()
        return False
    return True


def _hard_bounce(message: OutboxMessage, finding: Finding, now: datetime) -> None:
    reason = finding.detail or "Adressen tar inte emot e-post."
    message.state, message.bounced_at, message.last_error = "bounced", now, reason
    contact = message.contact
    address = message.recipient_email.lower()
    if finding.addresses and address not in finding.addresses:
        return  # the report names someone else: the message is marked, no contact
    if contact is None or (contact.email or "").lower() != address:
        return  # the contact's address has been changed since: the new one may work
    if contact.bouncing_at is None:
        record_event(
            None,
            "contact.bouncing",
            "contact",
            contact.id,
            contact.name,
            {"outbox_message": message.id, "reason": reason},
            now=now,
        )
    contact.bouncing_at, contact.bounce_reason = now, reason[:500]


def _auto_reply(message: OutboxMessage, finding: Finding, now: datetime) -> None:
    target: Invitation | Attendance | None = None
    if message.cause_type in ("invitation", "reminder"):
        target = db.session.get(Invitation, message.cause_id)
    elif message.cause_type == "receipt":
        response = db.session.get(Response, message.cause_id)
        target = response.invitation if response else None
    elif message.cause_type == "meeting" and message.contact_id is not None:
        target = db.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == message.cause_id,
                Attendance.contact_id == message.contact_id,
            )
        )
    if target is not None:
        target.auto_reply_at = now
        target.auto_reply_until = finding.until[:100]
        target.auto_reply_subject = finding.subject[:300]


def _meeting_answer(finding: Finding, now: datetime) -> int | None:
    """Answers from an iTIP REPLY: the meeting by UID, the invitee by address. A reply
    to an earlier version (lower SEQUENCE) of a meeting that has moved since is kept
    out, as its answer was for the old time."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.uid == finding.uid))
    if meeting is None or finding.sequence < meeting.sequence:
        return meeting.id if meeting else None
    for address, answer in finding.answers:
        attendance = db.session.scalar(
            select(Attendance)
            .join(Attendance.contact)
            .where(Attendance.meeting_id == meeting.id, func.lower(Contact.email) == address)
        )
        if attendance is not None:
            record_answer(attendance, answer, "calendar", now)
    return meeting.id
