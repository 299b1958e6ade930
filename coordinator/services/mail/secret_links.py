"""The tokens of secret links, made as a message leaves the outbox.

A stored message holds a random stand-in for each token (services/mail/outbox.py); its
`secret_links` says what each stands for. Every kind is re-derived from what the
database keeps without being a working link on its own: an invitation's or a meeting
invitee's nonce (HMAC with SECRET_KEY), a contact id (signed), a staff account and its
session nonce (signed, valid for an hour from sending).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Attendance, Invitation, OutboxMessage
from coordinator.services.accounts.password_reset import reset_token
from coordinator.services.mail.outbox import SECRET_MARKER, unsubscribe_token
from coordinator.services.projects.attendance import attendance_token
from coordinator.services.surveys.invitations import invitation_token


class MissingSecret(LookupError):
    """What a link stood for is gone (e.g. the invitation was deleted)."""


def _nonces(model: Any, ids: set[int]) -> dict[int, tuple[str, str]]:
    """{id: (nonce, token hash)}: with the hash, the token is made with the key that made
    the link first, so a link repeated after a key rotation stays the same."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(model.id, model.token_nonce, model.token_hash).where(model.id.in_(ids))
    )
    return {row_id: (nonce, token_hash) for row_id, nonce, token_hash in rows}


def tokens_for(messages: Iterable[OutboxMessage]) -> dict[str, str]:
    """{stand-in: token} for every secret link of these messages, with one query per
    kind of link (a batch of reminders needs one look-up, not one per message)."""
    specs = {m: s for message in messages for m, s in (message.secret_links or {}).items()}
    wanted: dict[str, set[int]] = {}
    for spec in specs.values():
        wanted.setdefault(spec[0], set()).add(int(spec[1]))
    invitations = _nonces(Invitation, wanted.get("invitation", set()))
    attendances = _nonces(Attendance, wanted.get("attendance", set()))
    makers: dict[str, Callable[[list[Any]], str | None]] = {
        "invitation": lambda s: _derive(invitation_token, invitations.get(int(s[1]))),
        "attendance": lambda s: _derive(attendance_token, attendances.get(int(s[1]))),
        "unsubscribe": lambda s: unsubscribe_token(int(s[1])),
        "password_reset": lambda s: reset_token(int(s[1]), str(s[2])),
    }
    tokens = {}
    for marker, spec in specs.items():
        token = makers[spec[0]](spec) if spec[0] in makers else None
        if token is not None:
            tokens[marker] = token
    return tokens


def _derive(derive: Callable[[str, str], str], stored: tuple[str, str] | None) -> str | None:
    return derive(*stored) if stored and stored[0] else None


def fill(text: str, tokens: dict[str, str], declared: Collection[str] | None = None) -> str:
    """`text` with every stand-in replaced by its token; MissingSecret if one has none.
    With `declared` (a message's own stand-ins), text that only looks like a stand-in
    (typed by someone into a title or an answer) is left as it is."""

    def token(match: Any) -> str:
        if declared is not None and match[0] not in declared:
            return str(match[0])
        try:
            return tokens[match[0]]
        except KeyError:
            raise MissingSecret(match[0]) from None

    return SECRET_MARKER.sub(token, text)
