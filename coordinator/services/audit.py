"""Recording who did what to which object."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, User
from coordinator.models.types import utcnow


def record_event(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str = "",
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        details=details or {},
    )
    db.session.add(event)
    return event


def audit_query(
    *,
    action: str = "",
    object_type: str = "",
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return query


def pseudonymise_audit_trail(
    object_type: str, object_id: int | None, words: list[str], replacement: str
) -> None:
    """Take a person out of the trail and keep what happened: every text value in the
    events about their record (`object_type`/`object_id`), and their name and address
    (also earlier ones those events recorded) wherever else the trail mentions them,
    become `replacement`."""
    own = list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == object_type, AuditEvent.object_id == object_id
            )
        )
    )
    known = set(filter(None, words))
    for event in own:
        known.update(_texts(event.details))
    # The longest first, so that "Åsa Lind-Berg" goes whole before "Åsa Lind".
    ordered = sorted((w for w in known if len(w.strip()) >= 3), key=len, reverse=True)
    for event in db.session.scalars(select(AuditEvent)):
        if event in own:
            event.summary = replacement
            event.details = _replace(event.details, None, replacement)
        elif ordered:
            event.summary = _replace(event.summary, ordered, replacement)
            event.actor_label = _replace(event.actor_label, ordered, replacement)
            event.details = _replace(event.details, ordered, replacement)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _replace(value: Any, words: list[str] | None, replacement: str) -> Any:
    """`value` with each of `words` replaced (or, with None, every text replaced whole)."""
    if isinstance(value, str):
        if words is None:
            return replacement if value else value
        for word in words:
            value = value.replace(word, replacement)
        return value
    if isinstance(value, dict):
        return {k: _replace(v, words, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, words, replacement) for v in value]
    return value
