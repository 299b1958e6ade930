"""Password reset by e-mail, and mail sent in the background after a request."""

import re
import time

import itsdangerous.timed
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.models.types import utcnow
from coordinator.services.accounts.password_reset import MAX_AGE_SECONDS
from coordinator.services.mail.sender import send_due_messages
from tests.factories import PASSWORD, make_user
from tests.support import csrf_token


def _request_reset(client, app, email):
    return client.post(
        "/password-reset", data={"csrf_token": csrf_token(client, app), "email": email}
    )


def _reset_link(smtp_server, email):
    send_due_messages(utcnow())
    text = smtp_server.to(email)[-1].get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/password-reset/\S+)", text).group(1)


def _without_csrf_tokens(html: str) -> str:
    """The page as a person reads it: a CSRF token's signature carries the time it was
    made, so two answers a second apart differ there and nowhere else."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1TOKEN"', html)


def test_the_csrf_mask_hides_only_the_token():
    html = '<input id="csrf_token" name="csrf_token" type="hidden" value="Ijk5.ZX.abc"><p>Hej</p>'
    assert _without_csrf_tokens(html) == (
        '<input id="csrf_token" name="csrf_token" type="hidden" value="TOKEN"><p>Hej</p>'
    )


def test_the_answer_does_not_reveal_whether_the_account_exists(app, client):
    make_user(email="pia@example.org")
    make_user(email="gone@example.org", active=False)
    db.session.commit()
    pages = {}
    for email in ("pia@example.org", "nobody@example.org", "gone@example.org"):
        response = _request_reset(client, app, email)
        assert response.status_code == 200
        pages[email] = _without_csrf_tokens(response.get_data(as_text=True)).replace(
            email, "ADDRESS"
        )
    assert len(set(pages.values())) == 1
    queued = db.session.scalars(select(OutboxMessage.recipient_email)).all()
    assert queued == ["pia@example.org"]


def test_the_link_sets_a_password_once(app, client, smtp_server):
    make_user(email="pia@example.org")
    db.session.commit()
    _request_reset(client, app, "pia@example.org")
    link = _reset_link(smtp_server, "pia@example.org")
    assert client.get(link).headers["Cache-Control"] == "no-store"
    data = {"csrf_token": csrf_token(client, app), "new_password": "ett nytt lösenord"}
    response = client.post(link, data={**data, "confirm": "ett nytt lösenord"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get(link).status_code == 404
    login = {"csrf_token": csrf_token(client, app), "email": "pia@example.org"}
    assert client.post("/login", data={**login, "password": PASSWORD}).status_code == 200
    response = client.post("/login", data={**login, "password": "ett nytt lösenord"})
    assert response.status_code == 302


def test_the_link_expires(app, client, smtp_server, monkeypatch):
    make_user(email="pia@example.org")
    db.session.commit()
    _request_reset(client, app, "pia@example.org")
    link = _reset_link(smtp_server, "pia@example.org")
    issued = time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: issued + MAX_AGE_SECONDS - 5)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: issued + MAX_AGE_SECONDS + 5)
    assert client.get(link).status_code == 404


def test_requests_are_rate_limited(app, client):
    app.config["PASSWORD_RESET_RATE_LIMIT"] = "2 per minute"
    try:
        statuses = [_request_reset(client, app, "x@example.org").status_code for _ in range(3)]
    finally:
        app.config["PASSWORD_RESET_RATE_LIMIT"] = "5 per 15 minutes"
    assert statuses == [200, 200, 429]


def test_mail_goes_out_in_the_background_when_configured(app, client, smtp_server):
    make_user(email="pia@example.org")
    db.session.commit()
    app.config["MAIL_SEND_AFTER_REQUEST"] = True
    try:
        _request_reset(client, app, "pia@example.org")
        deadline = time.monotonic() + 10
        while not smtp_server.to("pia@example.org") and time.monotonic() < deadline:
            time.sleep(0.05)
        while time.monotonic() < deadline:
            db.session.rollback()
            if db.session.scalar(select(OutboxMessage.state)) == "sent":
                break
            time.sleep(0.05)
    finally:
        app.config["MAIL_SEND_AFTER_REQUEST"] = False
    assert len(smtp_server.to("pia@example.org")) == 1
    assert db.session.scalar(select(OutboxMessage.state)) == "sent"
