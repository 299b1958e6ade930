"""What a message in the inbound mailbox is: a bounce (hard or soft), an automatic
reply, a meeting answer (iTIP REPLY), a forged bounce, or something else.

Only reading here, no database: `recognise` takes the bytes an IMAP server hands over
and returns a `Finding`. Bounces are recognised by flufl.bounce (Mailman's detector)
and tied to the outgoing message by the return path (services/mail/verp.py), never by
what the bounce claims; flufl.bounce only sees multipart/report messages, as its
fall-back text heuristics take seconds on a large message that is no bounce.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses

from flufl.bounce import all_failures
from icalendar import Calendar

from coordinator.services.mail.verp import parse_return_path

RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
# "Ledig till och med 2 december", "borta fram till årsskiftet", "out until 3 March".
_UNTIL = re.compile(
    r"\b(?:till och med|t\.\s?o\.\s?m\.?|fram till|tillbaka(?: den)?|åter(?: den)?|"
    r"until|through|back on)\s+([^\n.;!?]{2,40}?)(?=\s+(?:och|and|och läser|but)\b|[\n.;!?,]|$)",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(automatiskt svar|autosvar|auto|automatic reply|autoreply|out of (the )?office|"
    r"frånvarande|abwesend)\b",
    re.IGNORECASE,
)
_OUR_MESSAGE_ID = re.compile(r"<[^<>@]*\.outbox(\d{1,18})@[^<>]*>")
PARTSTATS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}


@dataclass
class Finding:
    kind: str  # as InboundMessage.kind
    outbox_id: int | None = None
    detail: str = ""
    addresses: list[str] = field(default_factory=list)  # bounced addresses
    subject: str = ""
    until: str = ""  # of an automatic reply, as the text says it
    uid: str = ""  # of the meeting a REPLY answers
    sequence: int = 0
    answers: list[tuple[str, str]] = field(default_factory=list)  # (address, answer)


def header_text(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except (UnicodeError, LookupError, ValueError):
        text = str(value)
    return " ".join(text.split())


def recognise(raw: bytes, *, headers_only: bool = False) -> Finding:
    """What the message is. With `headers_only` (a message too large to fetch whole),
    only what the headers show is used: such a message is never a bounce."""
    message = email.message_from_bytes(raw)
    subject = header_text(message, "Subject")[:300]
    outbox_id, genuine, forged = _return_path(message)
    if message.get_content_type() == "multipart/report" and not headers_only:
        if forged and not genuine:
            return Finding("forged", outbox_id, "Returadressens kontrollsumma stämmer inte.")
        if genuine:
            bounce = _bounce(message, outbox_id)
            if bounce is not None:
                return bounce
    if not headers_only:
        answer = _meeting_answer(message)
        if answer is not None:
            answer.subject = subject
            return answer
    if _is_automatic(message, subject):
        if not genuine:
            outbox_id = _replied_to(message)
        text = "" if headers_only else _plain_text(message)
        match = _UNTIL.search(text)
        until = " ".join(match[1].split()) if match else ""
        return Finding("auto_reply", outbox_id, subject, subject=subject, until=until[:100])
    if forged and not genuine:
        return Finding("forged", outbox_id, "Returadressens kontrollsumma stämmer inte.")
    return Finding("unrecognised", outbox_id if genuine else None, subject, subject=subject)


def _return_path(message: Message) -> tuple[int | None, bool, bool]:
    """(outbox id, genuine, forged) from the addresses the message was delivered to."""
    forged_id = None
    values = [str(v) for name in RECIPIENT_HEADERS for v in message.get_all(name, [])]
    for _name, address in getaddresses(values):
        outbox_id, good = parse_return_path(address)
        if good:
            return outbox_id, True, False
        if outbox_id is not None:
            forged_id = outbox_id
    return forged_id, False, forged_id is not None


def _bounce(message: Message, outbox_id: int | None) -> Finding | None:
    temporary, permanent = all_failures(message)
    status, diagnostic = _delivery_status(message)
    detail = " ".join(part for part in (status, diagnostic) if part)[:500]
    if permanent:
        addresses = sorted(a.decode("utf-8", "replace").lower() for a in permanent)
        return Finding("hard_bounce", outbox_id, detail, addresses)
    if temporary:
        addresses = sorted(a.decode("utf-8", "replace").lower() for a in temporary)
        return Finding("soft_bounce", outbox_id, detail, addresses)
    return None


def _delivery_status(message: Message) -> tuple[str, str]:
    """Status and Diagnostic-Code of the first recipient in the message/delivery-status
    part (the reason shown to coordinators)."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = [b for b in payload if isinstance(b, Message)] if isinstance(payload, list) else []
        for block in blocks[1:] or blocks:
            status = " ".join(str(block.get("Status", "")).split())
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            if status or diagnostic:
                return status, diagnostic
    return "", ""


def _meeting_answer(message: Message) -> Finding | None:
    for part in message.walk():
        if part.get_content_type() not in ("text/calendar", "application/ics"):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        try:
            calendar = Calendar.from_ical(data)
        except ValueError:
            continue
        if str(calendar.get("METHOD", "")).upper() != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            answers = []
            attendees = event.get("ATTENDEE", [])
            for attendee in attendees if isinstance(attendees, list) else [attendees]:
                partstat = str(attendee.params.get("PARTSTAT", "")).upper()
                address = str(attendee).removeprefix("mailto:").removeprefix("MAILTO:")
                if partstat in PARTSTATS:
                    answers.append((address.strip().lower(), PARTSTATS[partstat]))
            if answers and event.get("UID"):
                return Finding(
                    "meeting_answer",
                    uid=str(event["UID"]),
                    sequence=int(event.get("SEQUENCE", 0)),
                    answers=answers,
                    detail=", ".join(f"{a}: {p}" for a, p in answers),
                )
    return None


def _is_automatic(message: Message, subject: str) -> bool:
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("Precedence", "")).strip().lower() == "auto_reply":
        return True
    return bool(_AUTO_SUBJECT.match(subject))


def _replied_to(message: Message) -> int | None:
    """The outbox id in In-Reply-To or References, for automatic replies sent to the
    sender rather than the return path (not authenticated: it only records a note)."""
    for name in ("In-Reply-To", "References"):
        match = _OUR_MESSAGE_ID.search(str(message.get(name, "")))
        if match:
            return int(match[1])
    return None


def _plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                return data.decode(part.get_content_charset() or "utf-8", "replace")[:20_000]
    return ""
