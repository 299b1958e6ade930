"""What the security test of issue 11 found in signing in: a session that outlived logout
(4), open redirects (5), throttling by address only (7), and the secret key (15)."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from coordinator import create_app
from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.models.types import utcnow
from coordinator.services.accounts.login import LoginError, password_login
from coordinator.services.accounts.password_reset import user_for_reset_token
from coordinator.services.mail.secret_links import fill, tokens_for
from coordinator.services.surveys.invitations import find_invitation_by_token
from coordinator.services.surveys.reminders import send_reminders
from tests.factories import PASSWORD, make_contact, make_invitation, make_survey, make_user
from tests.support import ClientRequest, csrf_token, login

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# --- 4. Logout ends the session ------------------------------------------------------


def _signed_in_client(session_app: Flask, email: str) -> ClientRequest:
    client_request = ClientRequest(session_app.test_client(), session_app)
    assert client_request.post("/login", {"email": email, "password": PASSWORD}) == "/"
    return client_request


def _cookie(client_request: ClientRequest) -> str:
    cookie = client_request.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _with_cookie(session_app: Flask, value: str) -> int:
    """The status of the contact export for a browser that holds a copied session cookie."""
    thief = session_app.test_client()
    thief.set_cookie("session", value)
    return thief.get("/contacts/export").status_code


def test_a_copied_cookie_stops_working_at_logout(app, session_app):
    user = make_user("coordinator", email="pia@example.org")
    db.session.commit()
    browser = _signed_in_client(session_app, user.email)
    copied = _cookie(browser)
    assert _with_cookie(session_app, copied) == 200

    browser.post("/logout")

    assert _with_cookie(session_app, copied) == 302  # to the login page


def test_a_password_change_and_log_out_everywhere_end_other_sessions(app, session_app):
    user = make_user("coordinator", email="pia@example.org")
    admin = make_user("admin")
    db.session.commit()
    laptop = _signed_in_client(session_app, user.email)
    phone = _signed_in_client(session_app, user.email)
    new = "a new password 42"
    laptop.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert laptop.client.get("/contacts/export").status_code == 200  # this one goes on
    assert phone.client.get("/contacts/export").status_code == 302

    copied = _cookie(laptop)
    admin_browser = ClientRequest(session_app.test_client(), session_app)
    login(admin_browser.client, admin)
    admin_browser.post(f"/admin/users/{user.id}/end-sessions")
    assert _with_cookie(session_app, copied) == 302
    assert laptop.client.get("/").status_code == 302


# --- 5. Open redirects ---------------------------------------------------------------

# As a browser sends them in a form (the test client encodes them once more in a URL).
HOSTILE_NEXT = [
    "/\t/evil.example",
    "/\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "/\n/evil.example",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_off_site(app, client, target):
    make_user(email="pia@example.org")
    db.session.commit()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={
            "csrf_token": csrf_token(client, app),
            "email": "pia@example.org",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_the_reported_payload_is_refused(app, client):
    """`POST /login?next=/%09/evil.example` answered `Location: //evil.example`."""
    make_user(email="pia@example.org")
    db.session.commit()
    data = {"csrf_token": csrf_token(client, app), "email": "pia@example.org"}
    response = client.post("/login?next=/%09/evil.example", data={**data, "password": PASSWORD})
    assert response.location == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_redirects_off_site(client_request, target):
    assert client_request.post("/language", {"lang": "en", "next": target}) == "/"


def test_a_local_next_is_kept(client_request):
    assert client_request.post("/language", {"lang": "en", "next": "/login?x=1"}) == "/login"


# --- 7. Throttling per account as well as per address ---------------------------------


def test_guesses_from_many_addresses_at_one_account_are_slowed_down(app, client):
    make_user("admin", email="ada@example.org")
    db.session.commit()
    statuses = []
    for n in range(12):
        response = client.post(
            "/login",
            data={
                "csrf_token": csrf_token(client, app),
                "email": "ada@example.org",
                "password": f"guess number {n}",
            },
            environ_base={"REMOTE_ADDR": f"203.0.113.{n + 1}"},
        )
        body = response.get_data(as_text=True)
        statuses.append("wait" if "Vänta en stund" in body else "checked")
    assert statuses == ["checked"] * 5 + ["wait"] * 7


def test_the_delay_grows_but_never_locks_the_owner_out(app):
    user = make_user("admin", email="ada@example.org")
    now = NOW
    waits: list[int] = []
    while len(waits) < 8:
        with pytest.raises(LoginError) as refused:
            password_login(user.email, "wrong guess", now=now)
        if match := re.search(r"\((\d+) s\)", str(refused.value)):
            waits.append(int(match[1]))
            now += timedelta(seconds=int(match[1]))  # wait exactly as long as asked
        else:
            now += timedelta(milliseconds=100)
    # 5 free, then 1, 2, 4 … seconds, never more than LOGIN_MAX_DELAY_SECONDS (60).
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert password_login(user.email, PASSWORD, now=now + timedelta(seconds=61)) is user


def test_an_unknown_address_is_slowed_down_the_same_way(app):
    for _ in range(5):
        with pytest.raises(LoginError, match="Fel e-postadress"):
            password_login("nobody@example.org", "guess", now=NOW)
    with pytest.raises(LoginError, match="Vänta"):
        password_login("nobody@example.org", "guess", now=NOW)


def _failed_logins(app: Flask, client, forwarded_for: list[str]) -> list[int]:
    statuses = []
    for address in forwarded_for:
        response = client.post(
            "/login",
            data={"csrf_token": csrf_token(client, app), "email": f"x{address}@example.org"},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(response.status_code)
    return statuses


def test_behind_a_configured_proxy_each_client_has_its_own_limit(session_app, tmp_path):
    proxied = create_app(
        {
            "ENV": "test",
            "SQLALCHEMY_DATABASE_URI": session_app.config["SQLALCHEMY_DATABASE_URI"],
            "LOGIN_RATE_LIMIT": "2 per minute",
            "TRUSTED_PROXIES": 1,
        }
    )
    with proxied.app_context():
        client = proxied.test_client()
        addresses = [f"198.51.100.{n}" for n in range(1, 5)]
        assert _failed_logins(proxied, client, addresses) == [200] * 4
        # without ProxyFix every request comes from the proxy's one address
    direct = create_app(
        {
            "ENV": "test",
            "SQLALCHEMY_DATABASE_URI": session_app.config["SQLALCHEMY_DATABASE_URI"],
            "LOGIN_RATE_LIMIT": "2 per minute",
        }
    )
    with direct.app_context():
        client = direct.test_client()
        assert _failed_logins(direct, client, addresses) == [200, 200, 429, 429]


def _production(**config: object) -> Flask:
    return create_app(
        {
            "ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            **config,
        }
    )


def test_production_warns_loudly_when_limits_are_per_worker(caplog):
    with caplog.at_level(logging.WARNING, logger="coordinator"):
        _production()
    assert "every worker process counts the per-address rate limits on its own" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="coordinator"):
        _production(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379")
    assert "per-address" not in caplog.text


def test_production_refuses_password_login_off_without_single_sign_on():
    with pytest.raises(RuntimeError, match="OIDC_ISSUER"):
        _production(PASSWORD_LOGIN=False)


# --- 15. The secret key ---------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [" " * 40, "a" * 40, "ab" * 20, "0123456789" * 4, "dev", "x" * 31, "aAbB" * 10],
)
def test_production_refuses_a_weak_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production(SECRET_KEY=key)


@pytest.mark.parametrize(
    "key", [secrets.token_hex(16), secrets.token_urlsafe(48)], ids=["token_hex", "token_urlsafe"]
)
def test_production_accepts_a_random_secret_key(key):
    assert _production(SECRET_KEY=key).config["SECRET_KEY"] == key


def test_after_a_key_rotation_old_sessions_and_reset_links_keep_working(app, session_app):
    old_key = app.config["SECRET_KEY"]
    user = make_user("coordinator", email="pia@example.org")
    db.session.commit()
    browser = _signed_in_client(session_app, user.email)
    reset = URLSafeTimedSerializer(old_key, salt="password-reset").dumps(
        {"id": user.id, "nonce": user.session_nonce}
    )
    app.config.update(SECRET_KEY=secrets.token_urlsafe(48), SECRET_KEY_FALLBACKS=[old_key])
    try:
        assert browser.client.get("/").status_code == 200  # the session cookie
        assert user_for_reset_token(reset) is user
    finally:
        app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=[])


def test_after_a_key_rotation_reminders_repeat_the_invitation_link(app, client):
    old_key = app.config["SECRET_KEY"]
    user = make_user("coordinator")
    survey = make_survey(state="open")
    invitation, token = make_invitation(survey, make_contact())
    db.session.commit()
    app.config.update(SECRET_KEY=secrets.token_urlsafe(48), SECRET_KEY_FALLBACKS=[old_key])
    try:
        assert client.get(f"/r/{token}").status_code == 200  # the link in the invitation
        send_reminders(survey, [invitation], actor=user, now=utcnow())
        db.session.flush()
        (reminder,) = db.session.scalars(select(OutboxMessage))
        # Stored without the token; the sender puts it in, made with the key of that day.
        body = fill(reminder.text_body, tokens_for([reminder]))
        assert f"/r/{token}" in body, "the reminder repeats the link, which keeps working"
        assert find_invitation_by_token(token) is invitation
    finally:
        app.config.update(SECRET_KEY=old_key, SECRET_KEY_FALLBACKS=[])
