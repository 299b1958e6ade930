"""Password reset for staff: a signed, time-limited link that works once.

The token carries the account's session nonce, which changes when the password is set,
so a used link (or one issued before any later password change) stops working.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from coordinator.extensions import db
from coordinator.models import User
from coordinator.services.accounts.users import find_user_by_email, set_password
from coordinator.services.keys import secret_keys
from coordinator.services.mail.outbox import absolute_url, queue_email

SALT = "password-reset"
MAX_AGE_SECONDS = 60 * 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_keys(), salt=SALT)


def request_password_reset(email: str, now: datetime) -> None:
    """Queue a reset e-mail if an active account has this address; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = _serializer().dumps({"id": user.id, "nonce": user.session_nonce})
    queue_email(
        to_email=user.email,
        to_name=user.name,
        template="password_reset",
        context={"user": user, "url": absolute_url("auth.reset_password", token=token), "hours": 1},
        subject=f"Återställ ditt lösenord i {current_app.config['PRODUCT_NAME']}",
        cause=("password_reset", user.id),
        language=user.language,
        now=now,
    )


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or not user.active or user.session_nonce != data.get("nonce"):
        return None
    return user


def reset_password(user: User, password: str) -> None:
    set_password(user, password, actor=user)
