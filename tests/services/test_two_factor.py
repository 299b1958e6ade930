"""The second factor, on a fixed clock: codes, their window, no replay, recovery codes,
the per-account delay after wrong codes, and an admin's audited reset."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from coordinator.models import AuditEvent, RecoveryCode
from coordinator.services.accounts.two_factor import (
    SecondFactorError,
    disable_two_factor,
    enable_two_factor,
    provisioning_uri,
    qr_code_svg,
    remaining_recovery_codes,
    start_two_factor,
    verify_second_factor,
)
from tests.factories import make_user

NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)  # 10 s into a 30-second step
STEP = timedelta(seconds=30)


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


@pytest.fixture
def enrolled(app):
    user = make_user("admin")
    secret = start_two_factor(user)
    codes = enable_two_factor(user, code_at(secret, NOW), now=NOW)
    return user, secret, codes


def test_setting_up_needs_a_right_code_first(app):
    user = make_user()
    secret = start_two_factor(user)
    assert start_two_factor(user) == secret  # the same secret until confirmed
    assert not user.has_second_factor
    with pytest.raises(SecondFactorError):
        enable_two_factor(user, code_at(secret, NOW + 3 * STEP), now=NOW)
    assert not user.has_second_factor
    enable_two_factor(user, code_at(secret, NOW), now=NOW)
    assert user.has_second_factor and user.totp_enabled_at == NOW


def test_the_qr_code_is_svg_without_inline_style(app):
    user = make_user(email="anna@example.org")
    uri = provisioning_uri(user, start_two_factor(user))
    assert uri.startswith("otpauth://totp/Coordinator:anna%40example.org?secret=")
    svg = qr_code_svg(uri, "QR-kod")
    assert svg.startswith("<svg") and "<title>QR-kod</title>" in svg
    assert "style" not in svg and "<script" not in svg


def test_a_code_is_accepted_once_and_only_near_its_time(app, enrolled):
    user, secret, _ = enrolled
    later = NOW + 2 * STEP
    assert verify_second_factor(user, code_at(secret, later), now=later) == "totp"
    with pytest.raises(SecondFactorError):  # the same code again, in the same step
        verify_second_factor(user, code_at(secret, later), now=later)
    with pytest.raises(SecondFactorError):  # an older code, still inside the window
        verify_second_factor(user, code_at(secret, later - STEP), now=later)
    much_later = NOW + 10 * STEP
    with pytest.raises(SecondFactorError):  # two steps off: too far
        verify_second_factor(user, code_at(secret, much_later + 2 * STEP), now=much_later)
    # one step off either way is accepted (clocks drift)
    assert verify_second_factor(user, code_at(secret, much_later + STEP), now=much_later)


def test_recovery_codes_are_stored_hashed_and_work_once(app, enrolled):
    user, _, codes = enrolled
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(app.extensions["sqlalchemy"].session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert verify_second_factor(user, codes[3].lower(), now=NOW) == "recovery_code"
    assert remaining_recovery_codes(user) == 9
    with pytest.raises(SecondFactorError):
        verify_second_factor(user, codes[3], now=NOW + STEP)


def test_wrong_codes_make_the_account_wait_longer_and_longer(app, enrolled):
    user, secret, _ = enrolled
    now = NOW + 4 * STEP
    for _ in range(5):
        with pytest.raises(SecondFactorError, match="stämmer inte"):
            verify_second_factor(user, "000000", now=now)
    # Even the right code waits now: 1 second after the fifth failure, then 2, 4 …
    with pytest.raises(SecondFactorError, match=r"Vänta en stund \(1 s\)"):
        verify_second_factor(user, code_at(secret, now), now=now)
    with pytest.raises(SecondFactorError, match="stämmer inte"):
        verify_second_factor(user, "000000", now=now + timedelta(seconds=1))
    with pytest.raises(SecondFactorError, match=r"Vänta en stund \(2 s\)"):
        verify_second_factor(user, code_at(secret, now), now=now + timedelta(seconds=1))
    then = now + timedelta(seconds=3)
    assert verify_second_factor(user, code_at(secret, then), now=then) == "totp"


def test_an_admin_resets_a_second_factor_and_the_trail_says_so(app, enrolled):
    user, _, _ = enrolled
    admin = make_user("admin")
    with pytest.raises(SecondFactorError):  # required for admins: not by themselves
        app.config["REQUIRE_2FA_FOR"] = ["admin"]
        try:
            disable_two_factor(user, actor=user, now=NOW)
        finally:
            app.config["REQUIRE_2FA_FOR"] = []
    disable_two_factor(user, actor=admin, now=NOW)
    assert not user.has_second_factor and user.totp_secret is None
    assert remaining_recovery_codes(user) == 0
    event = (
        app.extensions["sqlalchemy"]
        .session.scalars(select(AuditEvent).where(AuditEvent.action == "user.two_factor_reset"))
        .one()
    )
    assert (event.actor_id, event.object_id) == (admin.id, user.id)
