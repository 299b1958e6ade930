"""The outbox and its sender against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.mail.outbox import MailAttachment, queue_email, set_opt_out
from coordinator.services.mail.sender import send_due_messages
from tests.factories import make_contact, make_organisation

NOW = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)

NOTICE = {
    "emails/notice.txt": (
        '{% extends "emails/base.txt" %}{% block body %}Hej {{ name }}!\n\n{{ text }}\n'
        "{{ link }}{% endblock %}"
    ),
    "emails/notice.html": (
        '{% extends "emails/base.html" %}{% block body %}<p>Hej {{ name }}!</p><p>{{ text }}</p>'
        '<p><a href="{{ link }}">Länk</a></p>{% endblock %}'
    ),
}


@pytest.fixture
def notice(app):
    """A plain message template, standing in for the product's real e-mails."""
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader(NOTICE), original])
    app.jinja_env.cache.clear()
    yield
    app.jinja_env.loader = original
    app.jinja_env.cache.clear()


def queue_notice(
    contact=None, *, to=None, name="Karin", text="Välkommen", subject="Hej", now=NOW, **kw
):
    return queue_email(
        to_email=to or contact.email,
        to_name=name,
        contact=contact,
        template="notice",
        context={"name": name, "text": text, "link": "http://localhost/r/abc"},
        subject=subject,
        cause=("test", None),
        now=now,
        **kw,
    )


def states():
    return dict(
        db.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    )


def test_a_batch_of_500_arrives_complete_each_once(app, smtp_server, notice):
    org = make_organisation("Länsstyrelsen Skåne", "12")
    contacts = [make_contact(org, email=f"person{i}@example.org") for i in range(500)]
    for contact in contacts:
        queue_notice(contact, name=contact.name, reply_to="projektledare@example.org")
    db.session.commit()

    report = send_due_messages(NOW, batch_size=200)

    assert report.sent == 500 and states() == {"sent": 500}
    recipients = [str(m["To"]) for m in smtp_server.messages]
    assert len(recipients) == 500 and len(set(recipients)) == 500
    message = smtp_server.to("person7@example.org")[0]
    assert str(message["From"]) == (
        "RUS – Länsstyrelsernas samverkan i miljömålssystemet <coordinator@example.org>"
    )
    assert message["Reply-To"] == "projektledare@example.org"
    assert message["Message-ID"] and message["Date"]
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://localhost/unsubscribe/")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Välkommen" in text and "http://localhost/r/abc" in text
    assert 'href="http://localhost/r/abc"' in html
    sender = "RUS – Länsstyrelsernas samverkan i miljömålssystemet"
    assert sender in html and f"Skickat av {sender} med Coordinator." in text
    assert unsubscribe.endswith("/one-click>")
    assert unsubscribe.strip("<>").removesuffix("/one-click") in text
    for subtype in ("plain", "html"):
        part = message.get_body((subtype,))
        assert part["Content-Transfer-Encoding"] == "base64"
        assert part.get_content_charset() == "utf-8"


def test_server_down_then_up_every_message_once(app, smtp_server, notice):
    org = make_organisation()
    for i in range(20):
        queue_notice(make_contact(org, email=f"p{i}@example.org"))
    db.session.commit()
    smtp_server.stop()

    report = send_due_messages(NOW)
    assert report.sent == 0 and report.retried == 20
    assert states() == {"queued": 20}
    assert db.session.scalar(select(func.min(OutboxMessage.next_attempt_at))) > NOW

    smtp_server.start()
    assert send_due_messages(NOW).sent == 0  # nothing is due before the retry time
    report = send_due_messages(NOW + timedelta(minutes=2))
    assert report.sent == 20 and states() == {"sent": 20}
    assert sorted(str(m["To"]) for m in smtp_server.messages) == sorted(
        set(str(m["To"]) for m in smtp_server.messages)
    )
    assert len(smtp_server.messages) == 20


def test_server_hanging_up_mid_batch_loses_and_repeats_nothing(app, smtp_server, notice):
    org = make_organisation()
    for i in range(50):
        queue_notice(make_contact(org, email=f"p{i}@example.org"))
    db.session.commit()
    smtp_server.handler.hang_up_after = 25  # between two records of results

    report = send_due_messages(NOW)
    assert (report.sent, report.retried) == (25, 25)
    assert states() == {"sent": 25, "queued": 25}

    smtp_server.handler.hang_up_after = None
    assert send_due_messages(NOW + timedelta(minutes=2)).sent == 25
    recipients = [str(m["To"]) for m in smtp_server.messages]
    assert len(recipients) == 50 and len(set(recipients)) == 50


def test_451_is_retried_550_fails_and_the_rest_are_sent(app, smtp_server, notice):
    org = make_organisation()
    for i in range(6):
        queue_notice(make_contact(org, email=f"p{i}@example.org"))
    db.session.commit()
    smtp_server.refuse("p1@example.org", "451 4.3.0 Try again later")
    smtp_server.refuse("p2@example.org", "451 4.3.0 Try again later")
    smtp_server.refuse("p3@example.org", "550 5.1.1 No such user")

    report = send_due_messages(NOW)
    assert (report.sent, report.retried, report.failed) == (3, 2, 1)
    failed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.state == "failed"))
    assert failed.recipient_email == "p3@example.org" and failed.last_error.startswith("550")

    smtp_server.handler.refuse.clear()
    report = send_due_messages(NOW + timedelta(minutes=5))
    assert report.sent == 2
    assert states() == {"sent": 5, "failed": 1}
    assert len(smtp_server.messages) == 5


def test_two_senders_at_once_never_send_twice(app, smtp_server, notice):
    org = make_organisation()
    for i in range(120):
        queue_notice(make_contact(org, email=f"p{i}@example.org"))
    db.session.commit()
    db.session.remove()
    barrier = threading.Barrier(2)
    errors = []

    def run(worker):
        try:
            with app.app_context():
                barrier.wait()
                send_due_messages(NOW, batch_size=10, worker_id=worker)
                db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    recipients = [str(m["To"]) for m in smtp_server.messages]
    assert len(recipients) == 120 and len(set(recipients)) == 120
    assert states() == {"sent": 120}


def test_rolled_back_transaction_sends_nothing(app, smtp_server, notice):
    contact = make_contact(make_organisation())
    db.session.commit()
    queue_notice(contact)
    db.session.rollback()
    assert send_due_messages(NOW).sent == 0
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "field,value",
    [("subject", "Hej\r\nBcc: victim@example.com"), ("name", "Karin\nBcc: victim@example.com")],
)
def test_header_injection_fails_that_message_alone(app, smtp_server, notice, field, value):
    org = make_organisation()
    bad = queue_notice(make_contact(org, email="bad@example.org"), **{field: value})
    good = queue_notice(make_contact(org, email="good@example.org"))
    assert bad.state == "failed" and "radbrytningar" in bad.last_error
    db.session.commit()
    assert send_due_messages(NOW).sent == 1 and good.state == "sent"
    assert [str(m["To"]) for m in smtp_server.messages] == ["Karin <good@example.org>"]


def test_a_row_with_a_line_break_in_a_header_fails_alone(app, smtp_server, notice):
    """Rows written by other means than queue_email are checked again when sent."""
    org = make_organisation()
    good = queue_notice(make_contact(org, email="good@example.org"))
    bad = queue_notice(make_contact(org, email="bad@example.org"))
    bad.subject = "Hej\r\nBcc: victim@example.com"
    db.session.commit()
    report = send_due_messages(NOW)
    assert (report.sent, report.failed) == (1, 1)
    assert good.state == "sent" and bad.state == "failed" and "radbrytningar" in bad.last_error
    assert [str(m["To"]) for m in smtp_server.messages] == ["Karin <good@example.org>"]


def test_user_text_is_escaped_in_html_and_folded_safely_in_headers(app, smtp_server, notice):
    contact = make_contact(make_organisation(), name='Eva "<b>" Ek')
    queue_notice(
        contact,
        name='<script>alert("x")</script>',
        text="<img src=x onerror=alert(1)>",
        subject="Enkät: åäö " + "lång " * 30,
    )
    db.session.commit()
    send_due_messages(NOW)
    message = smtp_server.messages[0]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert str(message["Subject"]).startswith("Enkät: åäö lång")
    assert "Bcc" not in message


def test_a_subject_longer_than_the_outbox_keeps_is_shortened_and_sent(app, smtp_server, notice):
    """A survey title of 300 characters after "Påminnelse: " must not break the queue."""
    queue_notice(make_contact(make_organisation()), subject="Påminnelse: " + "Å" * 300)
    db.session.commit()
    assert send_due_messages(NOW).sent == 1
    subject = str(smtp_server.messages[0]["Subject"])
    assert len(subject) == OutboxMessage.subject.type.length
    assert subject.startswith("Påminnelse: ÅÅÅ") and subject.endswith("…")


def test_opted_out_contacts_get_nothing_and_the_reason_is_kept(app, smtp_server, notice):
    org = make_organisation()
    out = make_contact(org, email="out@example.org")
    later = make_contact(org, email="later@example.org")
    stays = make_contact(org, email="stays@example.org")
    set_opt_out(out, True, actor=None, now=NOW)
    queued = [queue_notice(c) for c in (out, later, stays)]
    assert queued[0].state == "skipped" and "avregistrerat" in queued[0].last_error
    set_opt_out(later, True, actor=None, now=NOW)  # opted out after the mail was queued
    db.session.commit()

    report = send_due_messages(NOW)
    assert report.sent == 1 and report.skipped == 1
    assert [str(m["To"]) for m in smtp_server.messages] == ["Karin <stays@example.org>"]
    assert states() == {"sent": 1, "skipped": 2}


def test_stale_sending_rows_are_sent_again(app, smtp_server, notice):
    message = queue_notice(make_contact(make_organisation()))
    message.state, message.claimed_at, message.claimed_by = (
        "sending",
        NOW - timedelta(hours=1),
        "dead",
    )
    db.session.commit()
    report = send_due_messages(NOW)
    assert report.requeued_stale == 1 and report.sent == 1


def test_calendar_attachment_keeps_its_method(app, smtp_server, notice):
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue_notice(
        make_contact(make_organisation()),
        attachments=[MailAttachment("mote.ics", "text/calendar", ics, {"method": "REQUEST"})],
    )
    db.session.commit()
    send_due_messages(NOW)
    message = smtp_server.messages[0]
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "mote.ics"
    assert "METHOD:REQUEST" in part.get_content()


def test_without_a_mail_server_messages_are_printed(app, notice, capsys):
    app.config["MAIL_SERVER"] = ""
    try:
        queue_notice(make_contact(make_organisation()), subject="Utskrivet")
        db.session.commit()
        assert send_due_messages(NOW).sent == 1
    finally:
        app.config["MAIL_SERVER"] = "127.0.0.1"
    out = capsys.readouterr().out
    assert "Subject: Utskrivet" in out and "Välkommen" in out
