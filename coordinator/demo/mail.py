"""What came back to the inbound mailbox in the demo: one contact whose address bounced
(a Postfix DSN for her invitation), one out-of-office reply, and answers to the online
meeting from the networks it was sent to."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select

from coordinator.data import rus2018
from coordinator.extensions import db
from coordinator.models import (
    InboundMessage,
    Invitation,
    Meeting,
    OutboxMessage,
    Response,
    Survey,
    User,
)
from coordinator.services.projects.attendance import attendance_for
from coordinator.services.projects.meetings import invitees

BOUNCE_REASON = (
    "5.1.1 smtp; 550 5.1.1 <{email}>: Recipient address rejected: User unknown in local "
    "recipient table"
)
# Every fifth invitee has not answered; the others accept, decline or are unsure.
ANSWERS = ("accepted", "accepted", "declined", "tentative", None)


def load_inbound_examples(leader: User | None, now: datetime) -> None:
    survey = db.session.scalar(select(Survey).where(Survey.title == rus2018.TITLE))
    if survey is not None and not db.session.scalar(select(InboundMessage.id).limit(1)):
        _bounce_and_away(survey, now)
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.title == rus2018.PROJECT["online_meeting"]["title"])
    )
    if meeting is not None and meeting.invited_at is None:
        # Invited back then: the answers are there, and no mail is queued today.
        meeting.invited_at = meeting.created_at
        rows = [attendance_for(meeting, contact) for contact in invitees(meeting)]
        for number, row in enumerate(rows):
            answer = ANSWERS[number % len(ANSWERS)]
            if answer is not None:
                row.answer, row.answered_via = answer, "calendar" if number % 2 else "link"
                row.answered_at = meeting.starts_at - timedelta(days=3, hours=number)
    db.session.flush()


def _bounce_and_away(survey: Survey, now: datetime) -> None:
    """The second and third boards without an answer (the first one's link is the one
    `demo-data` prints): one address bounced, one person away."""
    answered = select(Response.organisation_id).where(Response.survey_id == survey.id)
    waiting = list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.survey_id == survey.id, Invitation.organisation_id.not_in(answered))
            .order_by(Invitation.organisation_id)
        )
    )[1:3]
    if len(waiting) < 2 or waiting[0].contact is None or waiting[1].contact is None:
        return
    bounced, away = waiting
    contact = bounced.contact
    assert contact is not None and contact.email
    reason = BOUNCE_REASON.format(email=contact.email)
    message = OutboxMessage(
        created_at=bounced.created_at,
        recipient_email=contact.email,
        recipient_name=contact.name,
        contact_id=contact.id,
        organisation_id=bounced.organisation_id,
        subject=f"Enkät: {survey.title}",
        text_body="(demo)",
        cause_type="invitation",
        cause_id=bounced.id,
        state="bounced",
        attempts=1,
        sent_at=bounced.created_at,
        bounced_at=bounced.created_at + timedelta(minutes=4),
        last_error=reason,
    )
    db.session.add(message)
    db.session.flush()
    db.session.add(
        InboundMessage(
            key=hashlib.sha256(f"demo-bounce-{message.id}".encode()).hexdigest(),
            received_at=message.bounced_at,
            kind="hard_bounce",
            outbox_message_id=message.id,
            detail=reason,
        )
    )
    contact.bouncing_at, contact.bounce_reason = message.bounced_at, reason
    away.auto_reply_at = away.created_at + timedelta(minutes=2)
    away.auto_reply_until = "13 augusti"
    away.auto_reply_subject = f"Automatiskt svar: Enkät: {survey.title}"
