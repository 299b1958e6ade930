"""Delivering the outbox: claim due messages, send them over one SMTP connection,
and record for each whether it was sent, will be retried, or failed for good.

Claiming is atomic, so several senders (processes, hosts) can run at once without
sending a message twice: on PostgreSQL the due rows are locked with
SELECT … FOR UPDATE SKIP LOCKED; on SQLite the claim runs in a BEGIN IMMEDIATE
transaction, which no other writer can interleave. The claim commits before the sender
connects: no transaction is open during network I/O.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.charset import BASE64, Charset
from email.encoders import encode_base64
from email.header import Header, decode_header, make_header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from coordinator.extensions import db
from coordinator.models import OutboxAttachment, OutboxMessage
from coordinator.services.errors import MailError
from coordinator.services.mail.outbox import check_header, skip_reason
from coordinator.services.mail.secret_links import MissingSecret, fill, tokens_for
from coordinator.services.mail.verp import return_path, verp_enabled

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
STALE_AFTER = timedelta(minutes=15)
# Results are recorded every this many messages: a sender that dies between two records
# leaves at most this many delivered messages in "sending", to be sent again later.
COMMIT_EVERY = 20


class _WirePolicy(Compat32):
    """compat32 with a short cut for short ASCII headers, which need no encoding or
    folding (the stock policy builds and encodes a Header object for each one)."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= 78
            and not any(c in value for c in "\r\n")
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return bytes(super().fold_binary(name, value))


def _utf8() -> Charset:
    """UTF-8 with base64 bodies, whatever the global charset registry says (Flask-Mail
    changes it to 8bit on import, which would let long HTML lines break SMTP's limit)."""
    charset = Charset("utf-8")
    charset.header_encoding = BASE64
    charset.body_encoding = BASE64
    charset.output_charset = "utf-8"
    return charset


UTF8 = _utf8()
WIRE_POLICY = _WirePolicy(linesep="\r\n")


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    requeued_stale: int = 0


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the attempts so far, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def requeue_stale(now: datetime) -> int:
    """Messages left in "sending" by a sender that died go back to the queue."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < now - STALE_AFTER)
        .values(state="queued", claimed_by=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def claim_due(now: datetime, worker_id: str, limit: int) -> list[int]:
    """Mark up to `limit` due messages as ours, in one short transaction."""
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.state == "queued")
            .values(state="sending", claimed_by=worker_id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        ids = list(
            db.session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.claimed_by == worker_id,
                    OutboxMessage.state == "sending",
                )
            )
        )
    db.session.commit()
    return ids


def build_mime(message: OutboxMessage, tokens: dict[str, str] | None = None) -> Message:
    """The message as MIME: multipart/alternative (text, HTML), inside multipart/mixed
    when there are attachments.

    Built with the email package's compat32 classes, which do the same job as
    EmailMessage about five times faster (the header registry parses every header).
    Header values are checked again here, since rows can be written by other means
    than queue_email. `tokens` fills in the secret links (services/mail/secret_links.py);
    without them the stand-ins stay, as in the stored message.
    """
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    for value, what in (
        (message.subject, "Ämnet"),
        (message.recipient_name, "Namnet"),
        (message.recipient_email, "E-postadressen"),
        (message.reply_to or "", "Svarsadressen"),
        *((value, name) for name, value in (message.headers or {}).items()),
    ):
        check_header(value, what)
    # UTF-8 bodies go out base64-encoded: every line within SMTP's limit, å/ä/ö intact
    # in Outlook, and encoded in C (quoted-printable is pure Python).
    # Every part is base64, whose lines can never contain "=_", so these boundaries need
    # no scan of the content (which the generator would otherwise do per message), and
    # are short enough for the Content-Type header to need no folding.
    body = MIMEMultipart("alternative", boundary=f"=_a{uuid4().hex[:16]}")

    def filled(text: str) -> str:
        return fill(text, tokens, message.secret_links or {}) if tokens is not None else text

    body.attach(_text_part(filled(message.text_body), "plain"))
    if message.html_body:
        body.attach(_text_part(filled(message.html_body), "html"))
    mime = body
    if message.attachments:
        mime = MIMEMultipart("mixed", boundary=f"=_m{uuid4().hex[:16]}")
        mime.attach(body)
        for attachment in message.attachments:
            mime.attach(_attachment_part(attachment))
    mime["From"] = formataddr((config["SENDER_NAME"], sender), charset=UTF8)
    mime["To"] = formataddr((message.recipient_name, message.recipient_email), charset=UTF8)
    mime["Subject"] = _header(message.subject)  # type: ignore[assignment]  # Header is allowed
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = make_msgid(
        idstring=f"outbox{message.id}", domain=sender.partition("@")[2] or None
    )
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    for name, value in (message.headers or {}).items():
        mime[name] = filled(value)
    return mime


def mime_bytes(message: OutboxMessage, tokens: dict[str, str] | None = None) -> bytes:
    """The message as it goes over SMTP (CRLF line ends)."""
    return build_mime(message, tokens).as_bytes(policy=WIRE_POLICY)


def envelope_sender(message: OutboxMessage) -> str:
    """The return path: the message's own VERP address when the inbound mailbox is set
    up (so a bounce names the message), else the sender."""
    if verp_enabled():
        return return_path(message.id)
    return str(current_app.config["MAIL_DEFAULT_SENDER"])


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, UTF8)


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(text, UTF8)
    return part


def _attachment_part(attachment: OutboxAttachment) -> Message:
    maintype, _, subtype = attachment.content_type.partition("/")
    part: Message
    if maintype == "text":
        # e.g. text/calendar; method=REQUEST; charset="utf-8", as Outlook expects.
        part = _text_part(attachment.data.decode("utf-8"), subtype)
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(attachment.data)
        encode_base64(part)
    for name, value in (attachment.params or {}).items():
        part.set_param(name, str(value))
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def open_smtp() -> smtplib.SMTP:
    """One connection with the MAIL_* settings (Flask-Mail's names). smtplib is used
    directly because Flask-Mail's connection has no timeout, and a hung server must not
    hang the sender."""
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    connection: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    if config["MAIL_USE_TLS"]:
        connection.starttls()
    if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return connection


def _deliver(connection: smtplib.SMTP, outgoing: Outgoing) -> None:
    message = outgoing.message
    try:
        connection.sendmail(
            envelope_sender(message),
            [message.recipient_email],
            mime_bytes(message, outgoing.tokens),
        )
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        error = f"{code} {_reply_text(reply)}"
        raise (PermanentFailure if code >= 500 else TemporaryFailure)(error) from exc
    except smtplib.SMTPResponseException as exc:
        error = f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"
        raise (PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure)(error) from exc


def _reply_text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _schedule_retry(message: OutboxMessage, error: str, now: datetime, report: SendReport) -> None:
    message.attempts += 1
    message.last_error = error[:2000]
    message.claimed_by = None
    if message.attempts >= MAX_ATTEMPTS:
        message.state = "failed"
        report.failed += 1
    else:
        message.state = "queued"
        message.next_attempt_at = now + retry_delay(message.attempts)
        report.retried += 1


def _print_to_console(outgoing: Outgoing) -> None:
    """Development without MAIL_SERVER: the headers and the text part, readable (the
    MIME itself is base64)."""
    message = outgoing.message
    mime = build_mime(message, outgoing.tokens)
    lines = [f"----- e-mail {message.id} (not sent: MAIL_SERVER is empty) -----"]
    for name in ("From", "To", "Reply-To", "Subject", "List-Unsubscribe"):
        if mime[name] is not None:
            lines.append(f"{name}: {str(make_header(decode_header(str(mime[name]))))}")
    lines += [f"Attachment: {a.filename} ({a.content_type})" for a in message.attachments]
    lines += ["", fill(message.text_body, outgoing.tokens, message.secret_links or {}), "-----"]
    print("\n".join(lines), file=sys.stdout, flush=True)


@dataclass
class Outgoing:
    """A claimed message, checked and with the tokens of its links, ready to go."""

    message: OutboxMessage
    tokens: dict[str, str]
    data: bytes = b""  # the message as it goes over SMTP


def send_due_messages(
    now: datetime, batch_size: int = 200, worker_id: str | None = None
) -> SendReport:
    """Send what is due, one SMTP connection per batch, until nothing due is left.

    No transaction is open while the sender talks to the mail server: a batch is
    claimed in one short transaction, read and checked in another, and the results are
    recorded in short ones (on SQLite a transaction that writes holds the database's
    only write lock, and a mail server that never answers must not stop every save).
    """
    worker_id = worker_id or f"{socket.gethostname()}:{uuid4().hex[:12]}"
    report = SendReport(requeued_stale=requeue_stale(now))
    session = db.session()
    # Keeping the loaded rows across the commits below saves reloading every message,
    # its attachments and contact after each one.
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        while True:
            ids = claim_due(now, worker_id, batch_size)
            if not ids:
                return report
            outgoing = _prepare(ids, report)
            if current_app.config.get("MAIL_SERVER"):
                _send_over_smtp(outgoing, now, report)
            else:
                for item in outgoing:
                    _print_to_console(item)
                    _mark_sent(item.message, now, report)
                db.session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def _prepare(ids: list[int], report: SendReport) -> list[Outgoing]:
    """Load the claimed messages, settle those that must not or cannot be sent, and make
    the tokens of the others' links; the transaction ends before any network I/O."""
    messages = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .options(selectinload(OutboxMessage.attachments), selectinload(OutboxMessage.contact))
            .order_by(OutboxMessage.id)
        )
    )
    tokens = tokens_for(messages)
    ready = []
    for message in messages:
        reason = skip_reason(message.contact)
        if reason:
            _settle(message, "skipped", reason)
            report.skipped += 1
            continue
        try:
            data = mime_bytes(message, tokens)  # every header checked, every link found
        except MailError as exc:
            _fail(message, str(exc), report)
        except MissingSecret:
            _fail(message, "Länken i meddelandet gäller inte längre.", report)
        else:
            ready.append(Outgoing(message, tokens, data))
    db.session.commit()
    return ready


def _send_over_smtp(outgoing: list[Outgoing], now: datetime, report: SendReport) -> None:
    if not outgoing:
        return
    connection = None
    try:
        connection = open_smtp()
        for done, item in enumerate(outgoing, start=1):
            _send_one(connection, item, now, report)
            if done % COMMIT_EVERY == 0:
                db.session.commit()
        db.session.commit()
    except (OSError, smtplib.SMTPException) as exc:
        # The connection itself failed. The results so far stand (those delivered since
        # the last commit must not be sent again); the rest goes back for a retry.
        log.warning("SMTP connection failed: %s", exc)
        for item in outgoing:
            if item.message.state == "sending":
                _schedule_retry(item.message, f"{type(exc).__name__}: {exc}", now, report)
        db.session.commit()
    finally:
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()


def _send_one(connection: smtplib.SMTP, item: Outgoing, now: datetime, report: SendReport) -> None:
    try:
        _deliver(connection, item)
    except PermanentFailure as exc:
        item.message.attempts += 1
        _fail(item.message, str(exc), report)
    except TemporaryFailure as exc:
        _schedule_retry(item.message, str(exc), now, report)
    else:
        _mark_sent(item.message, now, report)


def _settle(message: OutboxMessage, state: str, reason: str) -> None:
    message.state, message.last_error, message.claimed_by = state, reason[:2000], None


def _fail(message: OutboxMessage, reason: str, report: SendReport) -> None:
    _settle(message, "failed", reason)
    report.failed += 1


def _mark_sent(message: OutboxMessage, now: datetime, report: SendReport) -> None:
    message.attempts += 1
    message.state = "sent"
    message.sent_at = now
    message.last_error = None
    message.claimed_by = None
    report.sent += 1
