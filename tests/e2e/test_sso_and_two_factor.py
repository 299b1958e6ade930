"""Signing in through the identity provider's own pages, and setting up and using the
second factor, in Chromium; axe on every page of ours."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models import User
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, make_user
from tests.oidc_provider import ANNA, OidcProvider
from tests.oidc_provider import oidc_provider_fixture as oidc_provider  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def sso(live_app: Flask, oidc_provider: OidcProvider) -> Iterator[OidcProvider]:  # noqa: F811
    settings = {
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": oidc_provider.client_id,
        "OIDC_CLIENT_SECRET": oidc_provider.client_secret,
        "OIDC_BUTTON_LABEL": "Logga in med Länsstyrelsens konto",
    }
    saved = {name: live_app.config[name] for name in settings}
    live_app.config.update(settings)
    yield oidc_provider
    live_app.config.update(saved)


def provider_sign_in(page, email: str, password: str) -> None:
    """On the provider's own page."""
    expect(page.get_by_label("E-mail")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_single_sign_on_and_out_through_the_providers_pages(live_app, page, sso):
    make_user("admin", email=ANNA.email, name="Anna Admin")
    db.session.commit()
    page.goto("/surveys")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    assert_accessible(page, "login page with single sign-on")
    page.get_by_role("link", name="Logga in med Länsstyrelsens konto").click()

    expect(page).to_have_url(re.compile(re.escape(sso.issuer)))
    provider_sign_in(page, ANNA.email, ANNA.password)

    expect(page).to_have_url(re.compile(r":\d+/surveys$"))
    assert "Anna Admin" in page.locator("header").inner_text()
    assert_accessible(page, "surveys after single sign-on")

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(re.escape(sso.issuer) + "/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r":\d+/login\?state="))
    expect(page.locator(".flash")).to_contain_text("Du är utloggad")
    assert_accessible(page, "login after logout")


def test_a_refused_sign_in_says_why(live_app, page, sso):
    page.goto("/login")
    page.get_by_role("link", name="Logga in med Länsstyrelsens konto").click()
    provider_sign_in(page, ANNA.email, ANNA.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen gick inte")
    expect(page.locator("main")).to_contain_text(f"Det finns inget konto för {ANNA.email}")
    assert_accessible(page, "refused single sign-on")


def test_an_admin_sets_up_the_app_then_signs_in_with_a_code(live_app, page, log_in):
    live_app.config["REQUIRE_2FA_FOR"] = ["admin"]
    try:
        make_user("admin", email="ada@example.org", name="Ada Admin")
        db.session.commit()
        page.goto("/login")
        page.get_by_label("E-postadress").fill("ada@example.org")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Slå på tvåstegsverifiering")
        expect(page.locator("svg.qr-code")).to_be_visible()
        assert_accessible(page, "two-factor set-up")
        secret = page.locator("#secret-key").inner_text()
        page.get_by_role("button", name="Slå på").click()  # no code: the error summary
        expect(page.locator(".error-summary")).to_contain_text("Skriv in koden som appen visar")
        assert_accessible(page, "two-factor set-up with an error")
        page.get_by_label("Kod från appen").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Slå på").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
        assert page.locator(".recovery-codes code").count() == 10
        assert_accessible(page, "recovery codes")
        page.get_by_role("link", name="Jag har sparat koderna").click()
        assert "Ada Admin" in page.locator("header").inner_text()
        page.get_by_role("button", name="Logga ut").click()

        # Next time: password, then a code (typed with the keyboard alone).
        user = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
        db.session.refresh(user)
        user.totp_last_step = None  # the set-up code's step may still be current
        db.session.commit()
        page.get_by_label("E-postadress").fill("ada@example.org")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
        assert_accessible(page, "two-factor code")
        page.get_by_label("Kod", exact=True).focus()
        page.keyboard.type(pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r":\d+/(#.*)?$"))
        assert "Ada Admin" in page.locator("header").inner_text()
    finally:
        live_app.config["REQUIRE_2FA_FOR"] = []
