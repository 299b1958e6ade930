"""A second factor for password accounts: time-based one-time passwords (RFC 6238) from an
authenticator app, and ten recovery codes that each work once.

A code is accepted once: the time step of the last accepted code is kept, and a code from
that step or an earlier one is refused. Failed codes are counted per account (see
`throttle`), so guessing six digits takes longer than the codes live.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coordinator.extensions import db
from coordinator.models import RecoveryCode, User
from coordinator.services.accounts.throttle import (
    clear_failures,
    record_failure,
    seconds_to_wait,
)
from coordinator.services.audit import record_event
from coordinator.services.errors import UserError

RECOVERY_CODES = 10
# 16 characters from 32 (no 0/O, 1/I/L): 80 bits, too many to try even against the hash.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_GROUPS = 4
THROTTLE = "second-factor"
# Codes from the step before and after the current one are accepted (clocks drift).
VALID_WINDOW = 1


class SecondFactorError(UserError):
    """A code was wrong, used before, or tried too soon after failures."""


def two_factor_required(user: User) -> bool:
    """True when the user's role must add a second factor to a password."""
    return user.role in current_app.config["REQUIRE_2FA_FOR"]


def start_two_factor(user: User) -> str:
    """The secret to show while the user sets up the app; kept on the account, but not in
    use until `enable_two_factor` confirms it with a first code."""
    if user.has_second_factor:
        raise SecondFactorError(_l("Tvåstegsverifiering är redan på."))
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI that an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["PRODUCT_NAME"]
    )


def qr_code_svg(uri: str, title: str) -> str:
    """The URI as an inline SVG QR code: no style attribute or element, so the page's
    Content-Security-Policy (no inline style) still holds."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    assert "style" not in svg
    return str(svg)


def _hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _recovery_code() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4 * RECOVERY_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def _accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step that `code` belongs to, if it is valid now and newer than the last."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes in place of any earlier ones; only hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return codes


def enable_two_factor(user: User, code: str, now: datetime) -> list[str]:
    """Turn the second factor on once `code` shows that the app has the secret; returns
    the recovery codes, to be shown once."""
    secret = start_two_factor(user)
    step = _accepted_step(secret, _digits(code), now, None)
    if step is None:
        raise SecondFactorError(
            _l("Koden stämmer inte. Skriv in koden som appen visar just nu."), field="code"
        )
    user.totp_enabled_at = now
    user.totp_last_step = step
    record_event(user, "user.two_factor_on", "user", user.id, user.email, now=now)
    return new_recovery_codes(user)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def verify_second_factor(user: User, code: str, now: datetime) -> str:
    """Check a code from the app or a recovery code; returns which ("totp" or
    "recovery_code"). Raises SecondFactorError when it is wrong, used or too soon."""
    wait = seconds_to_wait(THROTTLE, str(user.id), now)
    if wait:
        raise SecondFactorError(
            _l("För många felaktiga koder. Vänta en stund (%(n)s s) och försök igen.", n=wait),
            field="code",
        )
    kind = _use_code(user, code, now)
    if kind is None:
        record_failure(THROTTLE, str(user.id), now)
        raise SecondFactorError(_l("Koden stämmer inte eller är redan använd."), field="code")
    clear_failures(THROTTLE, str(user.id))
    return kind


def _use_code(user: User, code: str, now: datetime) -> str | None:
    digits = _digits(code)
    if user.totp_secret and user.has_second_factor and digits.isdigit() and len(digits) == 6:
        step = _accepted_step(user.totp_secret, digits, now, user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        return "totp"
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return None
    recovery.used_at = now
    record_event(user, "user.recovery_code_used", "user", user.id, user.email, now=now)
    return "recovery_code"


def remaining_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def disable_two_factor(
    user: User, actor: User | None, now: datetime, by_operator: bool = False
) -> None:
    """Turn the second factor off: by its owner (where it is not required), by an admin
    who resets it for someone who lost their phone, or by the operator on the command line
    (`by_operator`, no actor). Audited either way."""
    if not by_operator and actor is not None and actor.id == user.id and two_factor_required(user):
        raise SecondFactorError(_l("Ditt konto måste ha en andra faktor."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    clear_failures(THROTTLE, str(user.id))
    own = actor is not None and actor.id == user.id and not by_operator
    action = "user.two_factor_off" if own else "user.two_factor_reset"
    record_event(None if by_operator else actor, action, "user", user.id, user.email, now=now)
