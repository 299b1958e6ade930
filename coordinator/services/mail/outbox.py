"""Queueing e-mail: every message is first a row in the outbox, written in the same
transaction as the change that caused it. The sender (services/mail/sender.py) delivers.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute URL built from BASE_URL, usable outside a request (CLI, sender)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return str(adapter.build(endpoint, values, force_external=True))


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(secret_keys(), salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(contact: Contact) -> str:
    """A token for the contact's opt-out link; it keeps working for as long as the
    contact exists, since the link sits in e-mail that may be read months later."""
    return str(_unsubscribe_serializer().dumps(contact.id))


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
    now: datetime,
) -> OutboxMessage:
    """Render templates/emails/<template>.txt and .html and add the message to the outbox.

    A message to an opted-out or erased contact is stored as "skipped" with the reason,
    and is never sent.
    """
    check_header(subject, _l("Ämnet"))
    check_header(to_name, _l("Namnet"))
    check_header(to_email, _l("E-postadressen"))
    if reply_to:
        check_header(reply_to, _l("Svarsadressen"))
    headers: dict[str, str] = {}
    layout: dict[str, Any] = {
        "product_name": current_app.config["PRODUCT_NAME"],
        "sender_name": current_app.config["SENDER_NAME"],
        "base_url": current_app.config["BASE_URL"],
        "unsubscribe_url": None,
    }
    if contact is not None:
        layout["unsubscribe_url"] = absolute_url(
            "mail.unsubscribe", token=unsubscribe_token(contact)
        )
        one_click = absolute_url("mail.unsubscribe_one_click", token=unsubscribe_token(contact))
        headers["List-Unsubscribe"] = f"<{one_click}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        organisation_id = organisation_id or contact.organisation_id
    values = {**layout, **context}
    with force_locale(language):
        text_body = render_template(f"emails/{template}.txt", **values)
        html_body = render_template(f"emails/{template}.html", **values)
    reason = skip_reason(contact)
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
        cause_type=cause[0],
        cause_id=cause[1],
        state="skipped" if reason else "queued",
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
