"""The opt-out link in every e-mail, and the outbox page for staff (Utkorg)."""

from __future__ import annotations

import threading

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from coordinator.extensions import csrf, db, limiter
from coordinator.fields import db_id
from coordinator.models import InboundMessage, OutboxMessage
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, editor_required
from coordinator.services.audit import record_event
from coordinator.services.mail.outbox import (
    contact_for_unsubscribe_token,
    redacted,
    set_opt_out,
)
from coordinator.services.mail.sender import send_due_messages
from coordinator.web import secret_link_page, token_rate_limit

bp = Blueprint("mail", __name__)

PAGE_SIZE = 100
STATES = ("queued", "sending", "sent", "failed", "skipped", "bounced")
STATE_LABELS = {
    "queued": _l("I kö"),
    "sending": _l("Skickas"),
    "sent": _l("Skickat"),
    "failed": _l("Misslyckades"),
    "skipped": _l("Skickas inte"),
    "bounced": _l("Studsade"),
}
INBOUND_LABELS = {
    "hard_bounce": _l("Studsade: adressen tar inte emot e-post"),
    "soft_bounce": _l("Tillfälligt leveransfel (försöker igen)"),
    "auto_reply": _l("Automatiskt svar"),
    "meeting_answer": _l("Svar på mötesinbjudan"),
    "forged": _l("Förfalskad studs (ignorerad)"),
    "unrecognised": _l("Okänt meddelande"),
}
CAUSE_LABELS = {
    "invitation": _l("Inbjudan till enkät"),
    "reminder": _l("Påminnelse"),
    "receipt": _l("Kvitto på svar"),
    "meeting": _l("Möte"),
    "password_reset": _l("Återställning av lösenord"),
}
STATE_TAGS = {
    "sent": "tag-green",
    "failed": "tag-red",
    "bounced": "tag-red",
    "skipped": "tag-grey",
    "queued": "tag-yellow",
}


@bp.app_context_processor
def outbox_labels() -> dict[str, object]:
    return {
        "state_label": lambda state: STATE_LABELS.get(state, state),
        "state_tag": lambda state: STATE_TAGS.get(state, ""),
        "cause_label": lambda cause: CAUSE_LABELS.get(cause, cause),
        "inbound_label": lambda kind: INBOUND_LABELS.get(kind, kind),
    }


@bp.app_template_filter("redacted")
def redacted_filter(text: str) -> str:
    return redacted(text)


@bp.after_app_request
def send_in_background(response: Response) -> Response:
    """Development convenience (MAIL_SEND_AFTER_REQUEST): deliver what this request
    queued in a thread of its own once the response is ready; production uses cron."""
    if g.get("mail_queued") and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_send_due, args=(app,), daemon=True).start()
    return response


def _send_due(app: Flask) -> None:
    with app.app_context():
        send_due_messages(utcnow())
        db.session.remove()


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit(token_rate_limit)
def unsubscribe(token: str) -> str | Response:
    secret_link_page()
    contact = contact_for_unsubscribe_token(token)
    if contact is None or contact.erased:
        abort(404)
    if request.method == "POST":
        set_opt_out(contact, True, actor=None, now=utcnow())
        db.session.commit()
        return render_template("mail/unsubscribed.html", contact=contact)
    return render_template("mail/unsubscribe.html", contact=contact, token=token)


@bp.route("/unsubscribe/<token>/one-click", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(token_rate_limit)
def unsubscribe_one_click(token: str) -> str | Response:
    """The List-Unsubscribe address. Mail programs POST "List-Unsubscribe=One-Click"
    here (RFC 8058) without cookies, so there is no CSRF token: the unguessable token in
    the address is the authorisation. Programs without one-click support open it (GET)
    and get the confirm page."""
    secret_link_page()
    contact = contact_for_unsubscribe_token(token)
    if contact is None or contact.erased:
        abort(404)
    if request.method == "GET":
        return redirect(url_for("mail.unsubscribe", token=token))
    if request.form.get("List-Unsubscribe") != "One-Click":
        abort(400)
    set_opt_out(contact, True, actor=None, now=utcnow())
    db.session.commit()
    return render_template("mail/unsubscribed.html", contact=contact)


@bp.get("/outbox")
@editor_required
def outbox() -> str:
    state = request.args.get("state", "")
    cause = request.args.get("cause", "")
    page = max(request.args.get("page", 1, type=db_id) or 1, 1)
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state in STATES:
        query = query.where(OutboxMessage.state == state)
    if cause:
        query = query.where(OutboxMessage.cause_type == cause)
    messages = list(db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    causes = list(
        db.session.scalars(
            select(OutboxMessage.cause_type).distinct().order_by(OutboxMessage.cause_type)
        )
    )
    return render_template(
        "mail/outbox.html",
        messages=messages[:PAGE_SIZE],
        has_next=len(messages) > PAGE_SIZE,
        page=page,
        state=state,
        cause=cause,
        states=STATES,
        causes=causes,
    )


@bp.get("/outbox/<int:message_id>")
@editor_required
def show_message(message_id: int) -> str:
    message = db.get_or_404(OutboxMessage, message_id)
    replies = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.outbox_message_id == message.id)
        .order_by(InboundMessage.id)
    ).all()
    return render_template(
        "mail/message.html",
        message=message,
        replies=replies,
        show_body=current_staff().is_admin,
    )


@bp.post("/outbox/<int:message_id>/retry")
@editor_required
def retry_message(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    if message.state != "failed":
        flash(_("Bara misslyckade meddelanden kan skickas igen."), "error")
    else:
        now = utcnow()
        message.state, message.next_attempt_at, message.attempts = "queued", now, 0
        record_event(current_staff(), "outbox.retry", "outbox_message", message.id, message.subject)
        db.session.commit()
        flash(_("Meddelandet skickas igen."), "success")
    return redirect(url_for("mail.outbox", state=request.args.get("state", "")))
