"""Headers and session rules from the hardening issue."""

import time
from datetime import timedelta

from tests.factories import make_user
from tests.support import login


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_csp_has_no_inline_scripts_and_forbids_framing(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert client.get("/login").headers["Referrer-Policy"] == "same-origin"


def test_staff_session_ends_after_the_idle_time(app, client):
    user = make_user("viewer")
    login(client, user)
    saved = app.permanent_session_lifetime
    app.permanent_session_lifetime = timedelta(seconds=1)
    try:
        with client.session_transaction() as session:
            session.permanent = True
        assert client.get("/").status_code == 200
        time.sleep(2.1)
        assert client.get("/").status_code == 302  # the signed cookie is too old
    finally:
        app.permanent_session_lifetime = saved
