"""Staff accounts: creation, authentication, passwords."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from coordinator.extensions import db
from coordinator.models import User
from coordinator.models.users import ROLES
from coordinator.services.audit import record_event
from coordinator.services.errors import UserError

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
# Compared against when the e-mail is unknown, so that a wrong e-mail takes as long as
# a wrong password and the timing does not reveal which accounts exist.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    email: str, name: str, role: str, password: str | None, actor: User | None = None
) -> User:
    """A staff account; without a password (None) it signs in only through single sign-on."""
    if role not in ROLES:
        raise UserError(_l("Okänd roll: %(role)s", role=role))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_l("Lösenordet måste ha minst %(n)s tecken.", n=MIN_PASSWORD_LENGTH))
    if find_user_by_email(email) is not None:
        raise UserError(_l("Det finns redan ett konto med den e-postadressen."))
    user = User(
        email=normalise_email(email),
        name=name.strip() or normalise_email(email),
        role=role,
        password_hash=hash_password(password) if password is not None else "",
        session_nonce=secrets.token_hex(8),
        session_version=1,
    )
    db.session.add(user)
    db.session.flush()
    record_event(actor, "user.create", "user", user.id, f"{user.email} ({role})")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Failures are logged."""
    user = find_user_by_email(email)
    if user is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        log.warning("Failed login for unknown e-mail")
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        log.warning("Failed login for user %s", user.id)
        return None
    return user


def record_sign_in(user: User, method: str, now: datetime) -> None:
    """Note a completed sign-in (password, password and second factor, or single sign-on)."""
    user.last_login_at = now
    record_event(user, "user.login", "user", user.id, user.email, {"method": method}, now=now)


def end_sessions(user: User, actor: User | None = None) -> None:
    """End every session of `user`: each browser that was signed in must sign in again.

    `actor` is the admin who did it ("log out everywhere"), which the audit trail keeps;
    None when the person logs out."""
    user.session_version = (user.session_version or 0) + 1
    if actor is not None:
        record_event(actor, "user.end_sessions", "user", user.id, user.email)


def set_password(user: User, password: str, actor: User | None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_l("Lösenordet måste ha minst %(n)s tecken.", n=MIN_PASSWORD_LENGTH))
    user.password_hash = hash_password(password)
    user.session_nonce = secrets.token_hex(8)
    end_sessions(user)
    record_event(actor, "user.password", "user", user.id, user.email)


def change_own_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise UserError(_l("Det nuvarande lösenordet stämmer inte."))
    set_password(user, new, actor=user)


def update_user(user: User, *, name: str, role: str, active: bool, actor: User) -> None:
    if role not in ROLES:
        raise UserError(_l("Okänd roll: %(role)s", role=role))
    if user.id == actor.id and (role != "admin" or not active):
        raise UserError(
            _l("Du kan inte ta bort din egen administratörsroll eller stänga ditt konto.")
        )
    changes = {}
    for field, value in (("name", name.strip()), ("role", role), ("active", active)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if not active:
        user.session_nonce = secrets.token_hex(8)
    if changes:
        record_event(actor, "user.update", "user", user.id, user.email, {"changes": changes})
