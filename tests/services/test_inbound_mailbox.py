"""The inbound mailbox against a real IMAP server (Dovecot on 127.0.0.1) and the corpus
of tests/data/inbound/ (issue 16): bounces, automatic replies, meeting answers, forged
bounces, junk and a 10 MB message, each handled once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import (
    Attendance,
    AuditEvent,
    InboundMessage,
    Invitation,
    Meeting,
    OutboxMessage,
)
from coordinator.services.mail.mailbox import read_mailbox
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.mail.verp import verp_local_part
from coordinator.services.projects.meetings import send_invitations
from coordinator.services.surveys.invitations import invite
from coordinator.services.surveys.reminders import send_scheduled_reminders
from tests.factories import (
    make_contact,
    make_organisation,
    make_project,
    make_survey,
    make_user,
)
from tests.inbound_messages import BY_NAME, SAMPLES, build, forged, huge_message

NOW = datetime.now(UTC).replace(microsecond=0)
ADDRESS = "bounces@coordinator.example.org"


@pytest.fixture
def inbound(app, imap_server):
    """The app reads the test Dovecot's INBOX; restored afterwards."""
    settings = {
        "INBOUND_HOST": imap_server.host,
        "INBOUND_PORT": imap_server.port,
        "INBOUND_TLS": "off",
        "INBOUND_USER": imap_server.user,
        "INBOUND_PASSWORD": imap_server.password,
        "INBOUND_ADDRESS": ADDRESS,
    }
    saved = {key: app.config[key] for key in settings}
    app.config.update(settings)
    yield imap_server
    app.config.update(saved)


def _invited(email="karin.lindqvist@lansstyrelsen.example", days=30):
    """A survey invitation to one contact, sent; returns (invitation, outbox message)."""
    survey = make_survey(deadline_at=NOW + timedelta(days=days))
    contact = make_contact(make_organisation(), email=email, name="Karin Lindqvist")
    invitation = invite(survey, [contact], None, NOW)[0]
    db.session.commit()
    send_due_messages(NOW)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.contact_id == contact.id))
    assert message.state == "sent"
    db.session.commit()  # ends the test's transaction (on SQLite it would hold the lock)
    return invitation, message


def _deliver(server, name, message, **kw):
    verp = verp_local_part(message.id)
    if BY_NAME[name].kind == "forged_bounce":
        verp = forged(verp)
    return server.deliver(
        build(
            name,
            verp=verp,
            recipient=message.recipient_email,
            message_id=f"1.2.3.outbox{message.id}@coordinator.example.org",
            **kw,
        )
    )


def _kinds():
    return sorted(db.session.scalars(select(InboundMessage.kind)))


def test_outgoing_mail_carries_a_signed_return_path(app, inbound, smtp_server):
    _invitation, message = _invited()
    sender, _recipients = smtp_server.handler.envelopes[-1]
    assert sender == f"{verp_local_part(message.id)}@coordinator.example.org"
    assert sender.startswith("bounces+") and sender != forged(sender)


def test_without_the_settings_nothing_is_read_and_mail_goes_as_before(
    app, imap_server, smtp_server
):
    _invitation, message = _invited()
    assert smtp_server.handler.envelopes[-1][0] == app.config["MAIL_DEFAULT_SENDER"]
    imap_server.deliver(build("postfix_user_unknown"))
    assert read_mailbox(NOW).handled == 0
    assert len(imap_server.messages("INBOX")) == 1 and _kinds() == []


@pytest.mark.parametrize("name", [s.name for s in SAMPLES if s.kind == "hard_bounce"])
def test_a_hard_bounce_marks_the_message_and_the_address(app, inbound, smtp_server, name):
    invitation, message = _invited()
    _deliver(inbound, name, message)
    report = read_mailbox(NOW)
    assert report.handled == 1 and report.kinds == {"hard_bounce": 1}
    db.session.expire_all()
    assert message.state == "bounced" and message.bounced_at is not None
    assert "5.1." in message.last_error
    contact = invitation.contact
    assert contact.bouncing and "5.1." in contact.bounce_reason
    assert inbound.messages("INBOX") == [] and len(inbound.messages("Done")) == 1
    # No more reminders to that address, and mail queued to it is not sent.
    invitation.survey.reminder_days = [-40]
    invitation.created_at = NOW - timedelta(days=60)
    assert send_scheduled_reminders(NOW) == 0
    # A new address clears the mark.
    contact.email = "karin.ny@lansstyrelsen.example"
    assert not contact.bouncing


def test_a_soft_bounce_is_recorded_and_changes_nothing_else(app, inbound, smtp_server):
    invitation, message = _invited()
    _deliver(inbound, "postfix_delayed_mailbox_full", message)
    assert read_mailbox(NOW).kinds == {"soft_bounce": 1}
    db.session.expire_all()
    assert message.state == "sent" and not invitation.contact.bouncing
    entry = db.session.scalar(select(InboundMessage))
    assert entry.outbox_message_id == message.id and "4.2.2" in entry.detail


def test_a_forged_bounce_changes_nothing(app, inbound, smtp_server):
    invitation, message = _invited()
    _deliver(inbound, "forged_bounce", message)
    assert read_mailbox(NOW).kinds == {"forged": 1}
    db.session.expire_all()
    assert message.state == "sent" and not invitation.contact.bouncing
    assert len(inbound.messages("Rejected")) == 1


@pytest.mark.parametrize(
    "name,until",
    [("outlook_out_of_office_sv", "2 december"), ("sieve_vacation_autoreply", "årsskiftet")],
)
def test_an_automatic_reply_is_noted_on_the_invitation_and_never_answered(
    app, inbound, smtp_server, name, until
):
    invitation, message = _invited()
    _deliver(inbound, name, message)
    assert read_mailbox(NOW).kinds == {"auto_reply": 1}
    db.session.expire_all()
    assert invitation.auto_reply_until == until and invitation.auto_reply_subject
    assert message.state == "sent" and not invitation.contact.bouncing
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    sent_before = len(smtp_server.messages)
    send_due_messages(NOW)
    assert len(smtp_server.messages) == sent_before  # nothing answers it


@pytest.mark.parametrize("name", ["spam_plain", "no_body", "malformed_mime"])
def test_junk_goes_to_the_rejected_folder(app, inbound, smtp_server, name):
    _invitation, message = _invited()
    _deliver(inbound, name, message)
    assert read_mailbox(NOW).kinds == {"unrecognised": 1}
    assert len(inbound.messages("Rejected")) == 1 and inbound.messages("INBOX") == []
    db.session.expire_all()
    assert message.state == "sent"


def test_a_10_mb_message_is_judged_by_its_headers(app, inbound, smtp_server):
    _invitation, message = _invited()
    inbound.deliver(huge_message(verp=verp_local_part(message.id)))
    began = time.monotonic()
    assert read_mailbox(NOW).kinds == {"unrecognised": 1}
    assert time.monotonic() - began < 2
    assert len(inbound.messages("Rejected")) == 1


def _meeting_with(contact, uid="4f2a9c0e1b7d3a5c6e8f0a1b@coordinator"):
    meeting = Meeting(
        project=make_project(),
        title="Uppföljningsmöte",
        uid=uid,
        starts_at=NOW + timedelta(days=10),
        ends_at=NOW + timedelta(days=10, hours=1),
    )
    meeting.contacts = [contact]
    db.session.add(meeting)
    db.session.flush()
    send_invitations(meeting, make_user(), NOW)
    db.session.commit()
    return meeting


@pytest.mark.parametrize("name", [s.name for s in SAMPLES if s.kind == "itip_reply"])
def test_a_calendar_answer_is_matched_by_uid_and_address(app, inbound, smtp_server, name):
    contact = make_contact(make_organisation(), email="Karin.Lindqvist@lansstyrelsen.example")
    meeting = _meeting_with(contact)
    send_due_messages(NOW)
    ics = smtp_server.messages[-1].get_body(("plain",))  # the mail has gone out
    assert ics is not None
    inbound.deliver(build(name, verp="bounces", recipient=contact.email, uid=meeting.uid))
    assert read_mailbox(NOW).kinds == {"meeting_answer": 1}
    attendance = db.session.scalar(select(Attendance))
    assert attendance.answer == BY_NAME[name].partstat.lower()
    assert attendance.answered_via == "calendar"
    assert len(inbound.messages("Done")) == 1


def test_an_answer_for_an_unknown_meeting_or_person_changes_nothing(app, inbound, smtp_server):
    contact = make_contact(make_organisation(), email="karin@lansstyrelsen.example")
    meeting = _meeting_with(contact, uid="ett-annat-mote@coordinator")
    inbound.deliver(build("outlook_itip_accepted", verp="bounces", recipient=contact.email))
    inbound.deliver(
        build(
            "thunderbird_itip_declined",
            verp="bounces",
            recipient="annan@example.org",
            uid=meeting.uid,
        )
    )
    read_mailbox(NOW)
    assert db.session.scalar(select(Attendance)).answer is None


def test_two_readers_at_once_handle_each_message_once(app, inbound, smtp_server):
    invitation, message = _invited()
    names = [s.name for s in SAMPLES if s.kind != "itip_reply"]
    for name in names:
        _deliver(inbound, name, message)
    db.session.commit()  # reading message.id began a transaction; end it, as a request would
    reports = []

    def reader():
        with app.app_context():
            reports.append(read_mailbox(NOW))
            db.session.remove()

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.handled for r in reports) == len(names)
    assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == len(names)
    assert inbound.messages("INBOX") == []
    bounced = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "contact.bouncing")
    ).all()
    assert len(bounced) == 1


def test_a_reader_that_died_before_moving_does_not_handle_a_message_twice(
    app, inbound, smtp_server, monkeypatch
):
    from coordinator.services.mail import mailbox

    invitation, message = _invited()
    _deliver(inbound, "gmail_no_such_user", message)

    def die(*args):
        raise ConnectionResetError("killed after recording")

    monkeypatch.setattr(mailbox, "_move", die)
    with pytest.raises(ConnectionResetError):
        read_mailbox(NOW)
    monkeypatch.undo()
    assert len(inbound.messages("INBOX")) == 1
    report = read_mailbox(NOW)
    assert (report.handled, report.seen_before) == (0, 1)
    assert inbound.messages("INBOX") == [] and len(inbound.messages("Done")) == 1
    assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_over_tls_with_the_server_certificate(app, inbound, smtp_server):
    if inbound.tls_port is None:
        pytest.skip("openssl is missing, so the fixture has no TLS port")
    app.config.update(
        INBOUND_PORT=inbound.tls_port, INBOUND_TLS="ssl", INBOUND_CA_FILE=str(inbound.cert_path)
    )
    try:
        _invitation, message = _invited()
        _deliver(inbound, "postfix_user_unknown", message)
        assert read_mailbox(NOW).kinds == {"hard_bounce": 1}
    finally:
        app.config["INBOUND_CA_FILE"] = ""


def test_tick_reads_the_mailbox_first(app, inbound, smtp_server, runner):
    invitation, message = _invited()
    _deliver(inbound, "exchange_online_recipient_not_found", message)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert message.state == "bounced"
    result = runner.invoke(args=["read-mail"])
    assert result.exit_code == 0 and "Read 0 new" in result.output
    assert isinstance(invitation, Invitation)
