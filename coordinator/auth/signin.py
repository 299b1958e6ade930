"""The last step of every way in (password, password and second factor, single sign-on):
a fresh session, the same idle timeout, and a line in the audit trail.

Between a right password and the second factor the session holds only a "pending"
sign-in, which expires after a few minutes and is bound to the account's session version.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, session, url_for
from flask_login import login_user

from coordinator.extensions import db
from coordinator.models import User
from coordinator.models.types import utcnow
from coordinator.redirects import safe_next
from coordinator.services.accounts.users import record_sign_in

PENDING_SECONDS = 10 * 60

F = TypeVar("F", bound=Callable[..., Any])


def password_login_enabled() -> bool:
    return bool(current_app.config["PASSWORD_LOGIN"])


def sso_enabled() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def password_pages(view: F) -> F:
    """The page exists only while password login is on (PASSWORD_LOGIN)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not password_login_enabled():
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def fresh_session(**keep: Any) -> None:
    """Drop everything in the session (a new one at each step of signing in), keeping the
    chosen language and the given values."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session.update(keep)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME is the idle timeout


def start_session(user: User, method: str, next_url: str | None = None, **keep: Any) -> str:
    """Sign `user` in with a fresh session; returns where to go next."""
    fresh_session(**keep)
    login_user(user)
    record_sign_in(user, method, now=utcnow())
    return safe_next(next_url) or url_for("main.index")


def begin_pending(user: User, next_url: str | None) -> None:
    """Remember a right password while the second factor is asked for."""
    fresh_session(
        pending_user=user.get_id(), pending_at=time.time(), pending_next=safe_next(next_url)
    )


def pending_user() -> User | None:
    """The account whose password was right a moment ago, if it is still waiting."""
    user_id = session.get("pending_user")
    started = session.get("pending_at")
    if not isinstance(user_id, str) or not isinstance(started, float | int):
        return None
    if time.time() - started > PENDING_SECONDS:
        return None
    raw_id = user_id.partition(":")[0]
    user = db.session.get(User, int(raw_id)) if raw_id.isdigit() else None
    if user is None or not user.active or user.get_id() != user_id:
        return None
    return user


def pending_next() -> str | None:
    value = session.get("pending_next")
    return value if isinstance(value, str) else None
