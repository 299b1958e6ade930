"""Checking a password login, slowed down per account as well as per address."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from coordinator.models import User
from coordinator.services.accounts.throttle import (
    clear_failures,
    record_failure,
    seconds_to_wait,
)
from coordinator.services.accounts.users import authenticate
from coordinator.services.errors import UserError

THROTTLE = "login"


class LoginError(UserError):
    """Wrong e-mail or password, or too many failures at this account just now."""


def password_login(email: str, password: str, now: datetime) -> User:
    """The account, if `password` is right and the account may try now.

    The same answers for an unknown address as for a known one: the counter is kept per
    typed address, and the wrong-password message does not say which part was wrong.
    """
    wait = seconds_to_wait(THROTTLE, email, now)
    if wait:
        raise LoginError(
            _l(
                "För många misslyckade inloggningar med den här adressen. Vänta en stund "
                "(%(n)s s) och försök igen.",
                n=wait,
            ),
            field="password",
        )
    user = authenticate(email, password)
    if user is None:
        record_failure(THROTTLE, email, now)
        raise LoginError(_l("Fel e-postadress eller lösenord"), field="password")
    clear_failures(THROTTLE, email)
    return user
