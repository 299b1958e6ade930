"""Password plus second factor over HTTP: the code step, the set-up that admins must do
when REQUIRE_2FA_FOR=admin, recovery codes shown once, and an admin's reset."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from coordinator.config import ProductionConfig
from coordinator.extensions import db
from coordinator.models import AuditEvent
from coordinator.models.types import utcnow
from coordinator.services.accounts.two_factor import enable_two_factor, start_two_factor
from tests.factories import PASSWORD, make_user
from tests.support import ClientRequest, login


@pytest.fixture
def required_for_admins(app: Flask) -> Iterator[None]:
    app.config["REQUIRE_2FA_FOR"] = ["admin"]
    yield
    app.config["REQUIRE_2FA_FOR"] = []


def enrolled_user(role: str = "coordinator", email: str = "pia@example.org") -> tuple:
    user = make_user(role, email=email)
    secret = start_two_factor(user)
    codes = enable_two_factor(user, pyotp.TOTP(secret).now(), now=utcnow())
    user.totp_last_step = None  # let the test use the current code again
    db.session.commit()
    return user, secret, codes


def password_step(client_request: ClientRequest, email: str, next_url: str = "") -> str:
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client_request.post(url, {"email": email, "password": PASSWORD})


def signed_in(client_request: ClientRequest) -> bool:
    return client_request.client.get("/").status_code == 200


def test_the_production_default_requires_a_second_factor_for_admins():
    assert ProductionConfig.REQUIRE_2FA_FOR == ["admin"]


def test_a_password_alone_is_not_enough_once_the_second_factor_is_on(app, client_request):
    user, secret, _ = enrolled_user()
    assert password_step(client_request, user.email, "/surveys") == "/login/two-factor"
    assert not signed_in(client_request)

    page = client_request.post("/login/two-factor", {"code": "123 456"}, status=200)
    assert "stämmer inte" in page.find(class_="error-summary").get_text()
    assert not signed_in(client_request)

    code = pyotp.TOTP(secret).now()
    assert client_request.post("/login/two-factor", {"code": code}) == "/surveys"
    assert signed_in(client_request)
    methods = [e.details for e in db.session.scalars(select(AuditEvent))]
    assert {"method": "password+totp"} in methods


def test_the_same_code_does_not_sign_in_twice(app, client_request, session_app):
    user, secret, _ = enrolled_user()
    code = pyotp.TOTP(secret).now()
    password_step(client_request, user.email)
    assert client_request.post("/login/two-factor", {"code": code}) == "/"

    other = ClientRequest(session_app.test_client(), session_app)
    password_step(other, user.email)
    page = other.post("/login/two-factor", {"code": code}, status=200)
    assert "redan använd" in page.find(class_="error-summary").get_text()


def test_a_recovery_code_stands_in_for_the_phone(app, client_request):
    user, _, codes = enrolled_user()
    password_step(client_request, user.email)
    assert client_request.post("/login/two-factor", {"code": codes[0]}) == "/"
    page = client_request.get("/")
    assert "Du har 9 reservkoder kvar." in page.get_text()


def test_the_code_page_needs_a_right_password_first(app, client_request):
    enrolled_user()
    assert client_request.post("/login/two-factor", {"code": "123456"}) == "/login"


def test_an_admin_must_set_up_the_app_before_signing_in(app, client_request, required_for_admins):
    user = make_user("admin", email="ada@example.org")
    db.session.commit()
    assert password_step(client_request, user.email) == "/account/two-factor/setup"
    assert not signed_in(client_request)

    response = client_request.client.get("/account/two-factor/setup")
    csp = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    page = client_request.get("/account/two-factor/setup")
    svg = page.find("svg", class_="qr-code")
    assert svg is not None and not page.find_all(attrs={"style": True})
    assert not page.find("style")
    secret = page.find(id="secret-key").get_text()
    assert secret == db.session.get(type(user), user.id).totp_secret

    page = client_request.post(
        "/account/two-factor/setup", {"code": pyotp.TOTP(secret).now()}, status=200
    )
    codes = [c.get_text() for c in page.select(".recovery-codes code")]
    assert len(codes) == 10
    assert signed_in(client_request)
    # shown once: the set-up page now leads to the settings, without codes
    assert client_request.client.get("/account/two-factor/setup").status_code == 302


def test_other_roles_may_choose(app, client_request, required_for_admins):
    user = make_user("coordinator", email="pia@example.org")
    db.session.commit()
    assert password_step(client_request, user.email) == "/"
    page = client_request.get("/account/two-factor")
    assert page.find("a", href="/account/two-factor/setup")


def test_an_admin_resets_someone_elses_second_factor(app, client_request):
    user, _, _ = enrolled_user()
    admin = make_user("admin")
    db.session.commit()
    login(client_request.client, admin)
    page = client_request.get(f"/admin/users/{user.id}/edit")
    assert page.find("form", action=f"/admin/users/{user.id}/two-factor/reset")
    client_request.post(f"/admin/users/{user.id}/two-factor/reset")
    db.session.refresh(user)
    assert not user.has_second_factor
    actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert "user.two_factor_reset" in actions
