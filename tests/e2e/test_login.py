"""Logging in with a browser, by mouse and by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def test_login_error_summary_then_success(live_app, page):
    make_user("admin", email="admin@example.org", name="Anna Admin")
    db.session.commit()
    page.goto("/login")
    assert_accessible(page, "login")
    page.get_by_label("E-postadress").fill("admin@example.org")
    page.get_by_role("button", name="Logga in").click()
    summary = page.locator(".error-summary")
    assert "Ange ditt lösenord" in summary.inner_text()
    assert page.title().startswith("Fel: ")
    assert_accessible(page, "login with errors")
    summary.get_by_role("link", name="Ange ditt lösenord").click()
    assert page.evaluate("document.activeElement.id") == "password"
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r":\d+/(#.*)?$"))
    assert "Anna Admin" in page.locator("header").inner_text()
    assert_accessible(page, "start page")


def test_login_with_keyboard_alone(live_app, page):
    make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    db.session.commit()
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("pia@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r":\d+/(#.*)?$"))
    assert "Pia Projektledare" in page.locator("header").inner_text()
