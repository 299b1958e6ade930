"""Meetings: scheduling, inviting networks and contacts with a calendar invitation,
rescheduling (an update) and cancelling."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Meeting, Network, Project, User
from coordinator.services.audit import record_event
from coordinator.services.errors import MeetingError
from coordinator.services.mail.outbox import (
    MailAttachment,
    absolute_url,
    queue_email,
    secret_marker,
)
from coordinator.services.projects.attendance import (
    ANSWER_CHOICES,
    attendance_for,
    attendance_overview,
    reset_answers,
)
from coordinator.services.projects.calendar import meeting_ics


@dataclass
class MeetingChange:
    """A saved meeting and what the people already invited must be told."""

    meeting: Meeting
    moved: bool  # time or place changed after the invitation went out
    dropped: list[Contact] = field(default_factory=list)  # invited before, not any more


def save_meeting(
    meeting: Meeting | None,
    *,
    project: Project,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_url: str,
    agenda: str,
    network_ids: list[int],
    contact_ids: list[int],
    actor: User,
    now: datetime,
) -> MeetingChange:
    """Create or change a meeting; nothing is sent here (see notify_change)."""
    if ends_at <= starts_at:
        raise MeetingError(_l("Mötet måste sluta efter att det har börjat."))
    if meeting is not None and meeting.cancelled_at is not None:
        raise MeetingError(_l("Mötet är inställt och kan inte ändras."))
    created = meeting is None
    before: list[Contact] = []
    if meeting is None:
        meeting = Meeting(
            project=project,
            uid=f"{secrets.token_hex(12)}@coordinator",
            created_at=now,
            starts_at=starts_at,
            ends_at=ends_at,
            title=title,
        )
        db.session.add(meeting)
    elif meeting.invited_at is not None:
        before = invitees(meeting)
    moved = not created and (
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
        meeting.online_url,
    ) != (starts_at, ends_at, place.strip(), online_url.strip())
    meeting.title, meeting.starts_at, meeting.ends_at = title.strip(), starts_at, ends_at
    meeting.place, meeting.online_url, meeting.agenda = place.strip(), online_url.strip(), agenda
    meeting.networks = list(db.session.scalars(select(Network).where(Network.id.in_(network_ids))))
    meeting.contacts = list(db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))))
    db.session.flush()
    staying = {c.id for c in invitees(meeting)}
    record_event(
        actor,
        "meeting.create" if created else "meeting.update",
        "meeting",
        meeting.id,
        meeting.title,
        {"starts_at": starts_at.isoformat(), "moved": moved},
        now=now,
    )
    return MeetingChange(
        meeting,
        moved and meeting.invited_at is not None,
        [c for c in before if c.id not in staying],
    )


def notify_change(change: MeetingChange, actor: User, now: datetime) -> tuple[int, int]:
    """After a change: an update (same UID, SEQUENCE + 1) to everyone still invited when
    the time or place moved, and a cancellation to those no longer invited. Returns how
    many updates and cancellations were queued."""
    if not change.moved and not change.dropped:
        return 0, 0
    meeting = change.meeting
    meeting.sequence += 1
    if change.moved:
        reset_answers(meeting)  # the update asks everyone again, and says so
    updated = _queue(meeting, invitees(meeting), "update", now) if change.moved else 0
    cancelled = _queue(meeting, change.dropped, "dropped", now)
    record_event(
        actor,
        "meeting.notify_change",
        "meeting",
        meeting.id,
        meeting.title,
        {"updated": updated, "cancelled": cancelled, "sequence": meeting.sequence},
        now=now,
    )
    return updated, cancelled


def contacts_by_email(text: str) -> tuple[list[Contact], list[str]]:
    """The register's contacts for the e-mail addresses in `text` (one per line, or separated
    by commas or semicolons), and the addresses that match no contact."""
    addresses = [a.strip().lower() for a in re.split(r"[\s,;]+", text) if a.strip()]
    found = {
        c.email: c
        for c in db.session.scalars(
            select(Contact).where(Contact.email.in_(addresses), Contact.erased_at.is_(None))
        )
    }
    unknown = [a for a in dict.fromkeys(addresses) if a not in found]
    return list(found.values()), unknown


def invitees(meeting: Meeting) -> list[Contact]:
    """Everyone invited, each once (a contact in two networks gets one e-mail)."""
    seen: dict[int, Contact] = {}
    for network in meeting.networks:
        for contact in network.members:
            seen.setdefault(contact.id, contact)
    for contact in meeting.contacts:
        seen.setdefault(contact.id, contact)
    return sorted((c for c in seen.values() if c.email), key=lambda c: c.name)


def send_invitations(meeting: Meeting, actor: User, now: datetime, kind: str = "invitation") -> int:
    """Queue one e-mail per invitee with the .ics: the invitation, or the cancellation of
    the whole meeting (METHOD:CANCEL, same UID, SEQUENCE + 1)."""
    if meeting.cancelled_at is not None:
        raise MeetingError(_l("Mötet är redan inställt."))
    if kind == "cancel":
        meeting.sequence += 1
    sent = _queue(meeting, invitees(meeting), kind, now)
    if kind == "invitation":
        meeting.invited_at = now
    if kind == "cancel":
        meeting.cancelled_at = now
    record_event(
        actor,
        f"meeting.{kind}",
        "meeting",
        meeting.id,
        meeting.title,
        {"recipients": sent, "sequence": meeting.sequence},
        now=now,
    )
    return sent


def _subject(kind: str, title: str, language: str) -> str:
    with force_locale(language):
        if kind == "cancel":
            return str(_("Inställt: %(title)s", title=title))
        if kind in ("update", "dropped"):
            return str(_("Ändrat möte: %(title)s", title=title))
        if kind == "answer_reminder":
            return str(_("Kommer du? %(title)s", title=title))
        return str(_("Inbjudan: %(title)s", title=title))


def answer_links(meeting: Meeting, contact: Contact) -> tuple[dict[str, str], dict[str, list[Any]]]:
    """The personal links "Jag kommer / Jag kommer inte / Kanske" for one invitee, with
    a stand-in for the token (the sender puts it in), and what the stand-in is."""
    attendance = attendance_for(meeting, contact)
    marker = secret_marker()
    urls = {
        answer: absolute_url("meeting_answer.show", token=marker, answer=answer)
        for answer in ANSWER_CHOICES
    }
    return urls, {marker: ["attendance", attendance.id]}


def _queue(meeting: Meeting, contacts: list[Contact], kind: str, now: datetime) -> int:
    method = "CANCEL" if kind in ("cancel", "dropped") else "REQUEST"
    for contact in contacts:
        urls: dict[str, str] = {}
        links: dict[str, list[Any]] = {}
        if method == "REQUEST":
            urls, links = answer_links(meeting, contact)
        queue_email(
            to_email=contact.email or "",
            to_name=contact.name,
            contact=contact,
            template="meeting_invitation",
            context={
                "meeting": meeting,
                "kind": kind,
                "contact": contact,
                "answer_urls": urls,
                "answer_labels": ANSWER_CHOICES,
            },
            secret_links=links,
            subject=_subject(kind, meeting.title, contact.language),
            cause=("meeting", meeting.id),
            attachments=[
                MailAttachment(
                    "inbjudan.ics" if method == "REQUEST" else "installt.ics",
                    "text/calendar",
                    meeting_ics(meeting, method, contact, now),
                    {"method": method},
                )
            ],
            language=contact.language,
            now=now,
        )
    return len(contacts)


def remind_unanswered(meeting: Meeting, actor: User, now: datetime) -> int:
    """A reminder with the answer links to every invitee who has not answered."""
    if meeting.cancelled_at is not None:
        raise MeetingError(_l("Mötet är inställt."))
    overview = attendance_overview(meeting)
    contacts = [row.contact for row in overview.unanswered if row.contact.can_receive_email]
    contacts = [c for c in contacts if not c.bouncing]
    sent = _queue(meeting, contacts, "answer_reminder", now)
    record_event(
        actor, "meeting.remind", "meeting", meeting.id, meeting.title, {"recipients": sent}, now=now
    )
    return sent
