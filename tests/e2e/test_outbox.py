"""The Utkorg page and the password-reset flow in a browser, with mail on a real SMTP server."""

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.models.types import utcnow
from coordinator.services.mail.sender import send_due_messages
from tests.e2e.axe import assert_accessible
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_password_reset_by_mail(live_app, page, e2e_smtp):
    make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    db.session.commit()
    page.goto("/login")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    assert_accessible(page, "reset request")
    page.get_by_role("button", name="Skicka länk").click()
    assert_accessible(page, "reset request with error")
    page.get_by_label("E-postadress").fill("pia@example.org")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.get_by_role("heading", name="Kontrollera din e-post")).to_be_visible()
    assert_accessible(page, "reset sent")

    send_due_messages(utcnow())
    mail = e2e_smtp.to("pia@example.org")[0]
    link = re.search(
        r"http://\S+/password-reset/\S+", mail.get_body(("plain",)).get_content()
    ).group(0)
    page.goto(link)
    assert_accessible(page, "choose new password")
    page.get_by_label("Nytt lösenord").fill("ett nytt lösenord")
    page.get_by_label("Upprepa det nya lösenordet").fill("ett nytt lösenord")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator(".flash")).to_contain_text("Ditt lösenord är bytt")
    page.get_by_label("E-postadress").fill("pia@example.org")
    page.get_by_label("Lösenord").fill("ett nytt lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("header")).to_contain_text("Pia Projektledare")
    page.goto(link)  # used once: it no longer works
    expect(page.get_by_role("heading", name="Länken fungerar inte längre")).to_be_visible()
    assert_accessible(page, "used link")


def test_outbox_page_filter_and_retry(live_app, page, log_in):
    make_user("admin", email="admin@example.org")
    db.session.add_all(
        [
            OutboxMessage(
                recipient_email="a@example.org",
                subject="Inbjudan",
                text_body="Hej",
                state="sent",
                cause_type="invitation",
            ),
            OutboxMessage(
                recipient_email="b@example.org",
                subject="Påminnelse",
                text_body="Hej",
                state="failed",
                cause_type="reminder",
                last_error="550 No such user",
            ),
        ]
    )
    db.session.commit()
    log_in("admin@example.org")
    page.get_by_role("link", name="Utkorg").click()
    assert_accessible(page, "outbox")
    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("550 No such user")
    page.get_by_role("button", name="Försök igen").click()
    expect(page.locator(".flash")).to_contain_text("Meddelandet skickas igen")
    page.get_by_label("Status").select_option("queued")
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("link", name="Påminnelse").click()
    expect(page.locator("main")).to_contain_text("b@example.org")
    assert_accessible(page, "message")
