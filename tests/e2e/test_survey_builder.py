"""The staff side of a survey in Chromium, axe on every page: from the RUS template through
settings, preview, invitations and reminders on the local SMTP server, to the dashboard."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Organisation
from coordinator.models.types import utcnow
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.register.seed import seed_reference_data
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_network, make_user

pytestmark = pytest.mark.e2e


def test_coordinator_builds_invites_reminds_and_follows_up(live_app, page, e2e_smtp, log_in):
    seed_reference_data()
    db.session.commit()
    gotland = db.session.scalar(select(Organisation).where(Organisation.county_code == "09"))
    gotland_label = gotland.display_name
    uppsala = db.session.scalar(select(Organisation).where(Organisation.county_code == "03"))
    eva = make_contact(gotland, name="Eva Ek", email="eva.ek@example.org")
    olle = make_contact(uppsala, name="Olle Ås", email="olle.as@example.org")
    make_network("Samordnare i testet", [eva, olle])
    make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    db.session.commit()

    log_in("pia@example.org")
    page.goto("/surveys/new")
    page.get_by_label("Projekt").fill("RUS-projektet")
    page.get_by_label("Svara senast, datum").fill("2031-08-21")
    page.get_by_label("Svara senast, klockan").fill("12:00")
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.locator("main")).to_contain_text("2d.")

    page.get_by_role("link", name="Ändra inställningar").click()
    assert_accessible(page, "survey settings")
    page.get_by_label("Påminnelsedagar").fill("varje vecka")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".error-summary")).to_contain_text("heltal")
    assert_accessible(page, "survey settings with an error")
    page.get_by_label("Påminnelsedagar").fill("-7, -2, 1")
    page.get_by_label("Svara senast, datum").fill("2031-08-23")
    page.get_by_label("Svara senast, klockan").fill("23:59")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main")).to_contain_text("7 dagar före, 2 dagar före, 1 dagar efter")
    expect(page.locator("main")).to_contain_text("23 augusti 2031")

    page.get_by_role("link", name="Lägg till fråga").click()
    assert_accessible(page, "new question")
    page.get_by_label("Nummer").fill("5")
    page.get_by_label("Frågan").fill("Vill ni vara med på workshopen?")
    page.get_by_label("Typ av svar").select_option(label="Ett alternativ")
    page.get_by_label("Svarsalternativ").fill("Ja\nNej\nKanske")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator("main")).to_contain_text("Vill ni vara med på workshopen?")
    page.get_by_role("button", name="Upp 5").click()
    expect(page.locator(".question-list > li").nth(7)).to_contain_text("Vill ni vara med")

    page.get_by_role("link", name="Förhandsgranska").click()
    expect(page.get_by_role("group", name=re.compile("^5\\."))).to_contain_text("Kanske")
    assert_accessible(page, "preview")
    page.get_by_role("link", name="Tillbaka till enkäten").click()
    page.get_by_role("button", name="Öppna för svar").click()
    expect(page.locator(".flash")).to_contain_text("öppen för svar")

    page.get_by_role("link", name="Mottagare").click()
    assert_accessible(page, "recipients")
    page.get_by_label(re.compile("Samordnare i testet")).check()
    page.get_by_role("button", name="Visa mottagare och e-post").click()
    expect(page.locator("pre")).to_contain_text("Svara senast")
    page.get_by_role("button", name="Skicka 2 inbjudningar").click()
    expect(page.locator(".flash")).to_contain_text("2 inbjudningar")
    send_due_messages(utcnow())
    invitation = e2e_smtp.to("eva.ek@example.org")[0]
    assert re.search(r"http://\S+/r/\S+", invitation.get_body(("plain",)).get_content())

    expect(page.locator("main")).to_contain_text("0 av 21 länsstyrelser har svarat")
    assert_accessible(page, "dashboard")
    page.get_by_label("Visa").select_option(label="Inbjuden")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page, "dashboard filtered")

    page.get_by_role("link", name="Påminn dem som inte svarat (2)").click()
    assert_accessible(page, "reminders")
    page.get_by_label(re.compile("Olle Ås")).uncheck()
    page.get_by_role("button", name="Skicka påminnelser").click()
    expect(page.locator(".flash")).to_contain_text("1 påminnelser")
    send_due_messages(utcnow())
    assert len(e2e_smtp.to("eva.ek@example.org")) == 2
    assert len(e2e_smtp.to("olle.as@example.org")) == 1

    page.get_by_role("link", name=re.compile("Gotland")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gotland")
    assert_accessible(page, "organisation page")
    page.get_by_role("link", name="Frågor och inställningar").click()
    page.get_by_label("Organisation").select_option(label=gotland_label)
    page.get_by_label("Ny sista svarsdag").fill("2031-08-30")
    page.get_by_label("Klockan").fill("12:00")
    page.get_by_role("button", name="Förläng").click()
    expect(page.locator("main")).to_contain_text("2031-08-30 12:00")
    assert_accessible(page, "survey page after extending")
