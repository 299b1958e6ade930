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
