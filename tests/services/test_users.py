from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordinator.models import AuditEvent
from coordinator.services.accounts.users import (
    authenticate,
    change_own_password,
    create_user,
    record_sign_in,
    update_user,
)
from coordinator.services.errors import UserError
from tests.factories import PASSWORD, make_user

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_password_is_stored_only_as_a_hash(app):
    user = create_user("Anna@Example.org", "Anna", "coordinator", "a long password")
    assert user.email == "anna@example.org"
    assert "a long password" not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_authenticate_accepts_right_password_any_case_email(app):
    user = make_user(email="pia@example.org")
    assert authenticate("PIA@example.org ", PASSWORD) is user


def test_a_sign_in_is_noted_on_the_account_and_in_the_audit_trail(app):
    user = make_user(email="pia@example.org")
    record_sign_in(user, "password+totp", now=NOW)
    assert user.last_login_at == NOW
    event = (
        app.extensions["sqlalchemy"]
        .session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login"))
        .one()
    )
    assert (event.actor_id, event.object_id, event.details) == (
        user.id,
        user.id,
        {"method": "password+totp"},
    )


@pytest.mark.parametrize(
    "email,password", [("pia@example.org", "wrong"), ("nobody@example.org", PASSWORD)]
)
def test_authenticate_refuses_wrong_password_and_unknown_email(app, email, password):
    make_user(email="pia@example.org")
    assert authenticate(email, password) is None


def test_inactive_user_cannot_log_in(app):
    user = make_user(active=False)
    assert authenticate(user.email, PASSWORD) is None


def test_short_password_and_duplicate_email_are_refused(app):
    make_user(email="a@example.org")
    with pytest.raises(UserError):
        create_user("b@example.org", "B", "viewer", "short")
    with pytest.raises(UserError):
        create_user("A@example.org", "A", "viewer", "long enough password")
    with pytest.raises(UserError):
        create_user("c@example.org", "C", "superuser", "long enough password")


def test_changing_password_ends_other_sessions(app):
    user = make_user()
    old_id = user.get_id()
    with pytest.raises(UserError):
        change_own_password(user, "not the password", "new password 123")
    change_own_password(user, PASSWORD, "new password 123")
    assert user.get_id() != old_id
    assert authenticate(user.email, "new password 123") is user


def test_admin_cannot_demote_themselves_and_changes_are_audited(app):
    admin = make_user("admin")
    other = make_user("viewer")
    with pytest.raises(UserError):
        update_user(admin, name=admin.name, role="viewer", active=True, actor=admin)
    update_user(other, name="Ny Namn", role="coordinator", active=True, actor=admin)
    event = app.extensions["sqlalchemy"].session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.update")
    )
    assert event.actor_id == admin.id
    assert event.details["changes"]["role"] == ["viewer", "coordinator"]
