"""Calendar invitations (.ics) that Outlook understands: a stable UID, a SEQUENCE that
rises with each change, Stockholm time with its VTIMEZONE, and METHOD:CANCEL to cancel."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from coordinator.localtime import STOCKHOLM
from coordinator.models import Contact, Meeting


def meeting_ics(meeting: Meeting, method: str, attendee: Contact | None, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Coordinator//RUS//SV")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    event.add("summary", meeting.title)
    location = meeting.online_url or meeting.place
    if location:
        event.add("location", location)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    # Answers go to the organiser: the inbound mailbox when there is one (and then the
    # invitation asks for an answer), else the sender, with no answer asked for.
    inbound = current_app.config.get("INBOUND_ADDRESS") or ""
    address = inbound or parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(current_app.config["PRODUCT_NAME"])
    event.add("organizer", organizer)
    if attendee is not None and attendee.email:
        attendee_address = vCalAddress(f"mailto:{attendee.email}")
        attendee_address.params["cn"] = vText(attendee.name)
        attendee_address.params["role"] = vText("REQ-PARTICIPANT")
        attendee_address.params["partstat"] = vText("NEEDS-ACTION")
        attendee_address.params["rsvp"] = vText("TRUE" if inbound else "FALSE")
        event.add("attendee", attendee_address)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
