"""Queueing e-mail: every message is first a row in the outbox, written in the same
transaction as the change that caused it. The sender (services/mail/sender.py) delivers.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from coordinator.extensions import db
from coordinator.models import Contact, OutboxAttachment, OutboxMessage, User
from coordinator.services.audit import record_event
from coordinator.services.errors import MailError
from coordinator.services.keys import secret_keys

UNSUBSCRIBE_SALT = "unsubscribe"
# Stands in for the secret part of a link in a stored message (see OutboxMessage.secret_links).
SECRET_MARKER = re.compile(r"secret-[0-9a-f]{24}")


def secret_marker() -> str:
    """A fresh stand-in for a token; random, so that no text typed by anyone can name
    another message's secret."""
    return f"secret-{secrets.token_hex(12)}"


def redacted(text: str) -> str:
    """Stored text as staff may read it: stand-ins shown as an ellipsis."""
    return SECRET_MARKER.sub("…", text)


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes
    params: dict[str, str] = field(default_factory=dict)


def check_header(value: str, what: object) -> str:
    """Refuse text that would start a new header line (header injection)."""
    if any(c in value for c in "\r\n\x00"):
        raise MailError(_l("%(what)s får inte innehålla radbrytningar.", what=what))
    return value


def header_problem(*values: tuple[str, object]) -> str | None:
    """Why these (value, what) pairs cannot go into mail headers, or None. A message
    with such a value fails alone, with this reason, and never stops the others."""
    for value, what in values:
        try:
            check_header(value, what)
        except MailError as exc:
            with force_locale("sv"):  # stored, like the other reasons, in Swedish
                return str(exc)
    return None


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute URL built from BASE_URL, usable outside a request (CLI, sender)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return str(adapter.build(endpoint, values, force_external=True))


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(secret_keys(), salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(contact: Contact | int) -> str:
    """A token for the contact's opt-out link; it keeps working for as long as the
    contact exists, since the link sits in e-mail that may be read months later."""
    contact_id = contact if isinstance(contact, int) else contact.id
    return str(_unsubscribe_serializer().dumps(contact_id))


def contact_for_unsubscribe_token(token: str) -> Contact | None:
    try:
        contact_id = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(contact_id, int):
        return None
    return db.session.get(Contact, contact_id)


def skip_reason(contact: Contact | None) -> str | None:
    """Why a message to this contact must not be sent, or None."""
    if contact is None:
        return None
    if contact.erased:
        return "Kontaktens personuppgifter är raderade."
    if contact.opted_out:
        return "Kontakten har avregistrerat sig från e-post."
    if contact.bouncing:
        return "Adressen studsar – byt kontakt."
    return None


def queue_email(
    *,
    to_email: str,
    to_name: str = "",
    contact: Contact | None = None,
    organisation_id: int | None = None,
    template: str,
    context: dict[str, Any],
    subject: str,
    cause: tuple[str, int | None],
    reply_to: str | None = None,
    attachments: Sequence[MailAttachment] = (),
    language: str = "sv",
    secret_links: Mapping[str, Sequence[Any]] | None = None,
    now: datetime,
) -> OutboxMessage:
    """Render templates/emails/<template>.txt and .html and add the message to the outbox.

    A message to an opted-out or erased contact is stored as "skipped" with the reason,
    and is never sent; one with a line break in a header value is stored as "failed"
    with the reason (names are kept on one line where they come in, see
    coordinator.text, so this only meets text stored before that).

    A secret link is passed as a URL built with `secret_marker()` in place of its token,
    and `secret_links` says what each marker stands for, e.g. {marker: ["invitation", 12]};
    the sender puts the token in as the message leaves (services/mail/secret_links.py).
    """
    problem = header_problem(
        (subject, _l("Ämnet")),
        (to_name, _l("Namnet")),
        (to_email, _l("E-postadressen")),
        (reply_to or "", _l("Svarsadressen")),
    )
    limit = OutboxMessage.subject.type.length
    if len(subject) > limit:  # a title near its own limit after "Påminnelse: " and the like
        subject = subject[: limit - 1] + "…"
    headers: dict[str, str] = {}
    layout: dict[str, Any] = {
        "product_name": current_app.config["PRODUCT_NAME"],
        "sender_name": current_app.config["SENDER_NAME"],
        "base_url": current_app.config["BASE_URL"],
        "unsubscribe_url": None,
    }
    links = {marker: list(spec) for marker, spec in (secret_links or {}).items()}
    if contact is not None:
        marker = secret_marker()
        links[marker] = ["unsubscribe", contact.id]
        layout["unsubscribe_url"] = absolute_url("mail.unsubscribe", token=marker)
        one_click = absolute_url("mail.unsubscribe_one_click", token=marker)
        headers["List-Unsubscribe"] = f"<{one_click}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        organisation_id = organisation_id or contact.organisation_id
    values = {**layout, **context}
    with force_locale(language):
        text_body = render_template(f"emails/{template}.txt", **values)
        html_body = render_template(f"emails/{template}.html", **values)
    reason = problem or skip_reason(contact)
    message = OutboxMessage(
        created_at=now,
        recipient_email=to_email,
        recipient_name=to_name,
        contact_id=contact.id if contact else None,
        organisation_id=organisation_id,
        reply_to=reply_to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        secret_links=links,
        cause_type=cause[0],
        cause_id=cause[1],
        state="failed" if problem else "skipped" if reason else "queued",
        last_error=reason,
        next_attempt_at=now,
    )
    message.attachments = [
        OutboxAttachment(
            filename=a.filename, content_type=a.content_type, data=a.data, params=dict(a.params)
        )
        for a in attachments
    ]
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.mail_queued = True
    return message


def set_opt_out(contact: Contact, opted_out: bool, actor: User | None, now: datetime) -> None:
    """Stop (or, for staff, resume) e-mail to a contact; queued mail to them is skipped."""
    if opted_out == contact.opted_out:
        return
    contact.opted_out_at = now if opted_out else None
    record_event(
        actor,
        "contact.opt_out" if opted_out else "contact.opt_in",
        "contact",
        contact.id,
        contact.name,
        now=now,
    )
