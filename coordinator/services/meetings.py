"""Meetings: scheduling, inviting networks and contacts with a calendar invitation,
rescheduling (an update) and cancelling."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Meeting, Network, Project, User
from coordinator.services.audit import record_event
from coordinator.services.calendar import meeting_ics
from coordinator.services.outbox import MailAttachment, absolute_url, queue_email


class MeetingError(ValueError):
    """A rule about meetings was broken; the message is fit to show."""


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
) -> tuple[Meeting, bool]:
    """Create or change a meeting. Returns it and whether its time or place changed after
    invitations went out (then an update should be sent)."""
    if ends_at <= starts_at:
        raise MeetingError("Mötet måste sluta efter att det har börjat.")
    if meeting is not None and meeting.cancelled_at is not None:
        raise MeetingError("Mötet är inställt och kan inte ändras.")
    created = meeting is None
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
    moved = not created and (
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
        meeting.online_url,
    ) != (starts_at, ends_at, place, online_url)
    meeting.title, meeting.starts_at, meeting.ends_at = title.strip(), starts_at, ends_at
    meeting.place, meeting.online_url, meeting.agenda = place.strip(), online_url.strip(), agenda
    meeting.networks = list(db.session.scalars(select(Network).where(Network.id.in_(network_ids))))
    meeting.contacts = list(db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))))
    db.session.flush()
    record_event(
        actor,
        "meeting.create" if created else "meeting.update",
        "meeting",
        meeting.id,
        meeting.title,
        now=now,
    )
    return meeting, moved and meeting.invited_at is not None


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
    """Queue one e-mail per invitee with the .ics: a request, an update or a cancellation."""
    if meeting.cancelled_at is not None:
        raise MeetingError("Mötet är redan inställt.")
    if kind in ("update", "cancel"):
        meeting.sequence += 1
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    subjects = {"invitation": "Inbjudan", "update": "Ändrad tid", "cancel": "Inställt"}
    sent = 0
    for contact in invitees(meeting):
        queue_email(
            to_email=contact.email or "",
            to_name=contact.name,
            contact=contact,
            template="meeting_invitation",
            context={
                "meeting": meeting,
                "kind": kind,
                "contact": contact,
                "ics_url": absolute_url("projects.meeting_ics_file", meeting_id=meeting.id),
            },
            subject=f"{subjects[kind]}: {meeting.title}",
            cause=("meeting", meeting.id),
            attachments=[
                MailAttachment(
                    "inbjudan.ics",
                    "text/calendar",
                    meeting_ics(meeting, method, contact, now),
                    {"method": method},
                )
            ],
            language=contact.language,
            now=now,
        )
        sent += 1
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
        {"recipients": sent},
        now=now,
    )
    return sent
