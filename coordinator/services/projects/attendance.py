"""Who comes to a meeting: each invitee's answer, from their calendar program (an iTIP
REPLY read from the inbound mailbox) or from the personal link in the invitation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordinator.extensions import db
from coordinator.models import ATTENDANCE_ANSWERS, Attendance, Contact, Meeting
from coordinator.services.audit import record_event
from coordinator.services.errors import MeetingError
from coordinator.services.surveys.tokens import derived_token_for, hash_token, new_nonce

ANSWER_LABELS = {
    "accepted": _l("Kommer"),
    "declined": _l("Kommer inte"),
    "tentative": _l("Kanske"),
    None: _l("Har inte svarat"),
}
# The words on the buttons of the personal link.
ANSWER_CHOICES = {
    "accepted": _l("Jag kommer"),
    "declined": _l("Jag kommer inte"),
    "tentative": _l("Kanske"),
}


def attendance_token(nonce: str, token_hash: str | None = None) -> str:
    """The token of the invitee's answer links; with the stored hash, made with the key
    that made the first link (see services/surveys/tokens.py)."""
    return derived_token_for("attendance", nonce, token_hash)


def attendance_for(meeting: Meeting, contact: Contact) -> Attendance:
    """The invitee's attendance row, made on first invitation."""
    attendance = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.contact_id == contact.id
        )
    )
    if attendance is None:
        nonce = new_nonce()
        attendance = Attendance(
            meeting=meeting,
            contact=contact,
            token_nonce=nonce,
            token_hash=hash_token(attendance_token(nonce)),
        )
        db.session.add(attendance)
        db.session.flush()
    return attendance


def find_attendance_by_token(token: str) -> Attendance | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(Attendance).where(Attendance.token_hash == hash_token(token)))


def record_answer(attendance: Attendance, answer: str, via: str, now: datetime) -> bool:
    """Store an answer; False when the meeting is cancelled and nothing was stored."""
    if answer not in ATTENDANCE_ANSWERS:
        raise MeetingError(_l("Välj om du kommer."), field="answer")
    if attendance.meeting.cancelled_at is not None:
        return False
    attendance.answer, attendance.answered_at, attendance.answered_via = answer, now, via
    record_event(
        None,
        "meeting.answer",
        "meeting",
        attendance.meeting_id,
        attendance.meeting.title,
        {"contact": attendance.contact_id, "answer": answer, "via": via},
        now=now,
    )
    return True


def reset_answers(meeting: Meeting) -> int:
    """After a change of time or place every answer is asked for again."""
    count = 0
    for attendance in db.session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.answer.is_not(None)
        )
    ):
        attendance.answer, attendance.answered_at, attendance.answered_via = None, None, ""
        count += 1
    return count


@dataclass
class AnswerGroup:
    """Answers of the invitees in one board (or network)."""

    name: str
    rows: list[Attendance] = field(default_factory=list)

    def count(self, answer: str | None) -> int:
        return sum(1 for row in self.rows if row.answer == answer)


@dataclass
class AttendanceOverview:
    rows: list[Attendance]
    by_organisation: list[AnswerGroup]
    by_network: list[AnswerGroup]

    def count(self, answer: str | None) -> int:
        return sum(1 for row in self.rows if row.answer == answer)

    @property
    def unanswered(self) -> list[Attendance]:
        return [row for row in self.rows if row.answer is None]


def attendance_overview(meeting: Meeting) -> AttendanceOverview:
    """Every invitee's answer, grouped per board (organisation) and per invited network.
    Someone no longer invited (taken off the meeting) is not counted."""
    invited = {c.id for n in meeting.networks for c in n.members} | {c.id for c in meeting.contacts}
    rows = list(
        db.session.scalars(
            select(Attendance)
            .join(Attendance.contact)
            .where(Attendance.meeting_id == meeting.id, Contact.erased_at.is_(None))
            .options(
                selectinload(Attendance.contact).selectinload(Contact.organisation),
                selectinload(Attendance.contact).selectinload(Contact.networks),
            )
            .order_by(Contact.name)
        )
    )
    rows = [row for row in rows if row.contact_id in invited]
    organisations: dict[int, AnswerGroup] = {}
    for row in sorted(
        rows,
        key=lambda r: (r.contact.organisation.county_code or "99", r.contact.organisation.name),
    ):
        organisation = row.contact.organisation
        organisations.setdefault(
            organisation.id, AnswerGroup(organisation.display_name)
        ).rows.append(row)
    invited_networks = {n.id for n in meeting.networks}
    networks: dict[int, AnswerGroup] = {n.id: AnswerGroup(n.name) for n in meeting.networks}
    for row in rows:
        for network in row.contact.networks:
            if network.id in invited_networks:
                networks[network.id].rows.append(row)
    return AttendanceOverview(rows, list(organisations.values()), list(networks.values()))
