"""Slowing down guesses at one account, from however many addresses they come.

Failures are counted per account (per typed e-mail address, so an address without an
account behaves the same) in the database, which every process shares. After a few free
attempts each failure doubles the wait before the next attempt is checked at all, up to a
maximum of a minute or so: guessing becomes slow, yet the owner is never locked out for
longer than that. Attempts refused for waiting are not counted, so an attacker cannot
stretch the wait either.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from coordinator.extensions import db
from coordinator.models import LoginThrottle

# Counters of attempts older than this are forgotten.
FORGET_AFTER = timedelta(days=1)


def _key(purpose: str, identifier: str) -> str:
    return hashlib.sha256(f"{purpose}:{identifier.strip().lower()}".encode()).hexdigest()


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` failures in a row."""
    free = int(current_app.config["LOGIN_FREE_ATTEMPTS"])
    if failures < free:
        return 0
    return int(min(2 ** (failures - free), current_app.config["LOGIN_MAX_DELAY_SECONDS"]))


def seconds_to_wait(purpose: str, identifier: str, now: datetime) -> int:
    """0 when an attempt may be checked now, else the whole seconds left to wait."""
    row = db.session.get(LoginThrottle, _key(purpose, identifier), populate_existing=True)
    if row is None or now - row.last_failure_at > FORGET_AFTER:
        return 0
    until = row.last_failure_at + timedelta(seconds=delay_after(row.failures))
    return max(0, math.ceil((until - now).total_seconds()))


def record_failure(purpose: str, identifier: str, now: datetime) -> None:
    """Count one failure; the same statement works when another process counts at once."""
    forgotten = LoginThrottle.last_failure_at < now - FORGET_AFTER
    db.session.execute(delete(LoginThrottle).where(forgotten))
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(LoginThrottle).values(
        key=_key(purpose, identifier), failures=1, last_failure_at=now
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now},
        )
    )


def clear_failures(purpose: str, identifier: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == _key(purpose, identifier)))
